// Makes the voice prompts the IVR and conference rooms play (npx tsx
// scripts/prompts.ts [outdir], default dialplans/sounds/en): each text is
// spoken by espeak-ng and converted by sox to what FreeSWITCH plays without
// resampling on a G.711 call — WAV, 8 kHz, mono, 16-bit. The output is
// deterministic for a given espeak-ng and sox (sox's dither is off and its
// random generator fixed), so the files are checked in and this only runs
// when a text changes. Needs the Debian packages espeak-ng and sox.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** File name (without .wav) → what it says. The controller plays them by these names. */
const prompts = {
  'ivr-greeting': 'Please enter the extension or choose from the menu.',
  'ivr-invalid': 'That is not a valid choice.',
  'ivr-timeout': 'We did not receive your choice.',
  'conference-passcode': 'Please enter the conference passcode followed by the pound key.',
  'conference-bad-passcode': 'That passcode is not valid.',
  'conference-full': 'The conference is full.',
  'conference-alone': 'You are the first participant.',
  goodbye: 'Goodbye.',
  connecting: 'Please hold while we connect your call.',
} as const satisfies Record<string, string>;

/** A prompt bigger than this is a mistake (a wrong rate, a runaway text), not a prompt. */
const MAX_BYTES = 100 * 1024;
const VOICE = 'en-us';
const WORDS_PER_MINUTE = '150';

function speech(text: string): Buffer {
  return execFileSync('espeak-ng', ['-v', VOICE, '-s', WORDS_PER_MINUTE, '--stdout', text], { maxBuffer: 16 * 1024 * 1024 });
}

function writeWav(spoken: Buffer, file: string): void {
  // -R: fixed random seed; -D: no dither (dither is noise, and noise differs per run).
  // Effects: cut espeak-ng's leading and trailing silence (a caller's digit timer
  // starts when the prompt ends), make every prompt equally loud (3 dB below full
  // scale), then leave 50 ms before and 200 ms after the words.
  const trim = ['silence', '1', '0.02', '0.1%', 'reverse', 'silence', '1', '0.02', '0.1%', 'reverse'];
  const format = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer'];
  const args = ['-R', '-D', '-t', 'wav', '-', ...format, file, ...trim, 'norm', '-3', 'pad', '0.05', '0.2'];
  execFileSync('sox', args, { input: spoken });
}

function requireTool(name: string): void {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is not installed (Debian: apt-get install espeak-ng sox)`);
  }
}

function main(): void {
  const outDir = path.resolve(process.argv[2] ?? path.join('dialplans', 'sounds', 'en'));
  requireTool('espeak-ng');
  requireTool('sox');
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(prompts)) {
    const file = path.join(outDir, `${name}.wav`);
    writeWav(speech(text), file);
    const { size } = statSync(file);
    if (size > MAX_BYTES) throw new Error(`${file} is ${size} bytes, over the ${MAX_BYTES}-byte limit for a prompt`);
    console.log(`${path.relative(process.cwd(), file)}  ${String(size).padStart(6)} bytes  "${text}"`);
  }
}

main();

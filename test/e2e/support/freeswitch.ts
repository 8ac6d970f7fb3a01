// FreeSWITCH's API over its inbound event socket (what fs_cli -x does), for
// end-to-end tests that look at the switch itself.
import net from 'node:net';

export function fsApi(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(process.env.FREESWITCH_ESL_PORT ?? 8021), process.env.FREESWITCH_ESL_HOST ?? '127.0.0.1');
    let data = '';
    let step = 0;
    socket.on('data', (d) => {
      data += d.toString();
      if (step === 0 && data.includes('auth/request')) {
        step = 1;
        socket.write(`auth ${process.env.FREESWITCH_ESL_PASSWORD ?? 'ClueCon'}\n\n`);
      } else if (step === 1 && data.includes('+OK accepted')) {
        step = 2;
        data = '';
        socket.write(`api ${command}\n\n`);
      }
      const reply = /Content-Type: api\/response\nContent-Length: (\d+)\n\n([^]*)$/.exec(data);
      if (step === 2 && reply && Buffer.byteLength(reply[2]!) >= Number(reply[1])) {
        socket.end();
        resolve(reply[2]!.slice(0, Number(reply[1])));
      }
    });
    socket.on('error', reject);
  });
}

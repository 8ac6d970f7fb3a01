// Waiting in tests without sleeping for synchronisation: poll a probe until it
// answers (anything but undefined), or fail with a deadline.
export async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000, pollMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

// modesl ships no typings; server/switch/esl.ts narrows what it uses.
declare module 'modesl' {
  const esl: {
    Server: new (opts: { host: string; port: number; myevents?: boolean }, ready: () => void) => unknown;
    Connection: new (host: string, port: number, password: string, ready: () => void) => unknown;
  };
  export default esl;
}

// The settings of a control plane that runs both the SIP edge (on the
// drachtio-server of DRACHTIO_HOST) and the FreeSWITCH controller (on the
// FreeSWITCH of FREESWITCH_ESL_HOST running dialplans/): what every e2e suite
// through FreeSWITCH starts its plane with.
export function switchPlaneEnv(drachtio: string, freeswitch: string): Record<string, string> {
  return {
    DRACHTIO_HOST: drachtio,
    DRACHTIO_PORT: process.env.DRACHTIO_PORT ?? '9022',
    DRACHTIO_SECRET: process.env.DRACHTIO_SECRET ?? 'cymru',
    FREESWITCH_SIP: process.env.FREESWITCH_SIP ?? '127.0.0.1:5080',
    CALLPLANE_SIP_DIGEST: 'MD5,SHA-256',
    CALLPLANE_SIP_ALLOW: '127.0.0.0/8',
    FREESWITCH_ESL_HOST: freeswitch,
    FREESWITCH_ESL_PORT: process.env.FREESWITCH_ESL_PORT ?? '8021',
    FREESWITCH_ESL_PASSWORD: process.env.FREESWITCH_ESL_PASSWORD ?? 'ClueCon',
    CALLPLANE_ESL_LISTEN: process.env.CALLPLANE_ESL_LISTEN ?? '127.0.0.1:8084',
  };
}

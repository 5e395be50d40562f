// The Keycloak stand-in as its own process, for the by-hand OS2MO (`npm run os2mo -- up`), which must
// outlive the command that started it. Prints "listening on PORT" once ready.
import { standardClients } from './index.js';
import { TokenService } from './keycloak.js';

const service = await TokenService.start(standardClients());
console.log(`listening on ${service.port}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void service.stop().then(() => process.exit(0)));

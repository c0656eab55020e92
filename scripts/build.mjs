// `npm run build`: always rebuilds the web app and the server.
import { build } from './build-lib.mjs';

await build();

import { loadConfig } from '../core/config/app-config.js';
import { ActivityChainVerifier } from '../core/audit/activity-chain-verifier.js';
import { ActivitySealer } from '../core/audit/activity-sealer.service.js';
import { openCliDataSource } from './cli-data-source.js';

/**
 * `npm run audit:verify [-- --from-seq N]`: walks the activity hash chain and prints
 * `{"valid", "checked", "first_invalid", ...}`; exits 1 when the chain is broken.
 */
const args = process.argv.slice(2);
const at = args.indexOf('--from-seq');
const fromSeq = at >= 0 ? args[at + 1] : undefined;
if (fromSeq !== undefined && !/^\d+$/.test(fromSeq)) {
  console.error('--from-seq takes a chain position (an integer)');
  process.exit(2);
}
const { dataSource, close } = await openCliDataSource();
try {
  const verifier = new ActivityChainVerifier(dataSource, new ActivitySealer(dataSource, loadConfig()));
  const result = await verifier.verify(fromSeq);
  console.log(JSON.stringify(result));
  if (!result.valid) process.exitCode = 1;
} finally {
  await close();
}

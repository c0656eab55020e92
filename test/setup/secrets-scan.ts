// Runs after every integration test file: scans every response body and log line the file
// produced for the secrets it saw (test/helpers/secrets.ts).
import { afterAll, expect } from 'vitest';
import { ApiClient } from '../helpers/client';
import { appLogs, registeredSecrets, SECRET_PATTERNS } from '../helpers/secrets';

afterAll(() => {
  const leaks: string[] = [];
  const transcript = ApiClient.transcript;
  const logs = appLogs.flat();
  for (const secret of registeredSecrets()) {
    transcript.forEach((entry, i) => {
      if (!secret.allowedIn.has(i) && entry.text.includes(secret.value)) {
        leaks.push(`${secret.kind} in the response to ${entry.method} ${entry.path}`);
      }
    });
    for (const line of logs)
      if (line.includes(secret.value)) leaks.push(`${secret.kind} in a log line: ${line.slice(0, 200)}`);
  }
  for (const { name, re } of SECRET_PATTERNS) {
    for (const entry of transcript)
      if (re.test(entry.text)) leaks.push(`${name} in the response to ${entry.method} ${entry.path}`);
    for (const line of logs) if (re.test(line)) leaks.push(`${name} in a log line: ${line.slice(0, 200)}`);
  }
  expect([...new Set(leaks)]).toEqual([]);
});

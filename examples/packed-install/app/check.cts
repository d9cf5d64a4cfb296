// Type-checked as CommonJS: the `require` condition's types (index.d.cts) resolve.
/* eslint-disable @typescript-eslint/no-require-imports -- this file exists to prove the CommonJS types */
import sdk = require('@taskbase/sdk');

const client = sdk.createClient({ url: 'http://127.0.0.1:3000' });
// @ts-expect-error a priority is one of the known values
client.tasks.create({ title: 'x', priority: 'whenever' });
export = client;

// Node, CommonJS: the same SDK through require().
/* eslint-disable @typescript-eslint/no-require-imports -- this file exists to prove the CommonJS entry */
const { createClient, NotFoundError } = require('@taskbase/sdk');

async function main() {
  const [url, email, password] = process.argv.slice(2);
  const client = createClient({ url });
  await client.auth.signIn({ email, password });
  const task = await client.tasks.create({ title: 'Created from CJS' });
  const page = await client.tasks.list({ limit: 50 });
  let missing = 'no error';
  try {
    await client.tasks.get(2_000_000_000);
  } catch (error) {
    missing = error instanceof NotFoundError ? 'NotFoundError' : String(error);
  }
  console.log(JSON.stringify({ created: task.title, listed: page.data.map((t) => t.title), missing }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

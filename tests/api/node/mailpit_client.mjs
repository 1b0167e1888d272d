// Drives smtpeek with the `mailpit-api` client library, as an end-to-end test suite would:
// list, search, wait for, read (summary, headers, source, attachment), mark read, tag, delete.
// The API's base URL comes from SMTPEEK_API_URL; the Python runner has sent the mail already.
import assert from "node:assert/strict";
import { MailpitClient } from "mailpit-api";

const mailpit = new MailpitClient(process.env.SMTPEEK_API_URL);

const info = await mailpit.getInfo();
assert.equal(info.Messages, 2);
assert.equal(typeof info.Version, "string");

const list = await mailpit.listMessages();
assert.equal(list.total, 2);
assert.equal(list.messages_count, 2);
assert.equal(list.messages.length, 2);
const [newest, oldest] = list.messages;
assert.equal(newest.Subject, "Invoice attached");
assert.equal(oldest.Subject, "Welcome to smtpeek");
assert.equal(oldest.From.Address, "no-reply@app.example");
assert.equal(oldest.To[0].Address, "new.user@example.net");
assert.equal(typeof oldest.ID, "string");

const found = await mailpit.waitForMessage({ query: "subject:Welcome" }, { timeout: 5000 });
assert.equal(found.ID, oldest.ID);
assert.equal(found.From.Name, "My App");
assert.match(found.Text, /Confirm your address/);
assert.match(found.HTML, /<a href="https:\/\/app\.example\/confirm/);

const searched = await mailpit.searchMessages({ query: "to:new.user" });
assert.equal(searched.messages_count, 1);

const latest = await mailpit.getMessageSummary();
assert.equal(latest.ID, newest.ID);
assert.equal(latest.Attachments.length, 1);
const attachment = latest.Attachments[0];
assert.equal(attachment.FileName, "invoice.txt");
const blob = await mailpit.getMessageAttachment(latest.ID, attachment.PartID);
assert.equal(await blob.text(), "Invoice 42: 10 EUR");
assert.equal(blob.size, attachment.Size);

const headers = await mailpit.getMessageHeaders(oldest.ID);
assert.deepEqual(headers.Subject, ["Welcome to smtpeek"]);

const source = await mailpit.getMessageSource(oldest.ID);
assert.match(source, /^From: My App <no-reply@app\.example>\r\n/);

await mailpit.setReadStatus({ IDs: [newest.ID], Read: false });
assert.equal((await mailpit.listMessages()).unread, 1); // the summary read marked the other

assert.equal(await mailpit.setTags({ IDs: [newest.ID, oldest.ID], Tags: ["Billing", "Seen by QA"] }), "ok");
assert.deepEqual(await mailpit.getTags(), ["Billing", "Seen by QA"]);
assert.deepEqual((await mailpit.listMessages()).messages[1].Tags, ["Billing", "Seen by QA"]);
assert.equal(await mailpit.renameTag("Seen by QA", "QA"), "ok");
assert.deepEqual(await mailpit.getTags(), ["Billing", "QA"]);
assert.equal((await mailpit.searchMessages({ query: "tag:QA" })).messages_count, 2);
assert.equal(await mailpit.deleteTag("Billing"), "ok");
assert.deepEqual(await mailpit.getTags(), ["QA"]);
await mailpit.setTags({ IDs: [newest.ID] });
assert.deepEqual((await mailpit.listMessages()).messages[0].Tags, []);
assert.deepEqual((await mailpit.getInfo()).Tags, { QA: 1 });

await mailpit.deleteMessages({ IDs: [oldest.ID] });
assert.equal((await mailpit.listMessages()).total, 1);
await mailpit.deleteMessages();
await mailpit.waitForMessages({ count: 0 }, { timeout: 5000 });

let refused = null;
try {
  await mailpit.getMessageSummary(oldest.ID);
} catch (error) {
  refused = error;
}
assert.match(String(refused), /404/);

console.log("mailpit-api client: all checks passed");

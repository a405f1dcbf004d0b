// Opens `cruftless report` output in headless Chromium, as a reviewer would:
// the per-rule table agrees with `cruftless diff --format json`, clicking a
// rule shows only its removals, and a hostile page's markup shows as text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const bin = process.env.CRUFTLESS_BIN || join(repo, "target", "debug", "cruftless");
const shots = process.env.CRUFTLESS_SCREENSHOTS || join(repo, "target", "browser");
const work = mkdtempSync(join(tmpdir(), "cruftless-browser-"));
let context;

function cruftless(args) {
  return execFileSync(bin, [...args, "--no-config"], { cwd: work, encoding: "utf8" });
}

before(async () => {
  cpSync(join(repo, "tests", "fixtures", "seeds", "input"), join(work, "input"), { recursive: true });
  mkdirSync(join(work, "hostile"));
  writeFileSync(
    join(work, "hostile", "page.txt"),
    "A story <script>alert(1)</script> with enough words in its article line to keep it here.\n\n" +
      "Follow Us:\n\n<img src=x onerror=alert(1)>\n\nFollow Us:\n",
  );
  cruftless(["report", "input", "-o", "report.html", "-q"]);
  cruftless(["report", "hostile", "-o", "hostile.html", "-q"]);
  mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Per rule: documents hit and lines removed, from `diff --format json`. */
function expectedFigures() {
  const figures = {};
  for (const line of cruftless(["diff", "input", "--format", "json"]).split("\n")) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line);
    const seen = new Set();
    for (const removal of doc.removals || []) {
      const f = (figures[removal.rule] ??= { documents: 0, lines: 0 });
      f.lines += removal.last_line - removal.first_line + 1;
      if (!seen.has(removal.rule)) {
        seen.add(removal.rule);
        f.documents += 1;
      }
    }
  }
  return figures;
}

test("the per-rule table agrees with diff --format json", async () => {
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(work, "report.html")).href);
  const rows = await page.$$eval("#rules tbody tr", (trs) =>
    trs.map((tr) => ({
      rule: tr.dataset.rule,
      documents: Number(tr.querySelector(".documents").textContent),
      lines: Number(tr.querySelector(".lines").textContent),
    })),
  );
  const expected = expectedFigures();
  const shown = Object.fromEntries(rows.map((r) => [r.rule, { documents: r.documents, lines: r.lines }]));
  assert.ok(rows.length >= 5, "the seeds fire several rules");
  assert.deepEqual(shown, expected);
  await page.screenshot({ path: join(shots, "report.png"), fullPage: false });
  await page.close();
});

test("clicking a rule shows only that rule's removals", async () => {
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(work, "report.html")).href);
  const rule = "web-common/register-prompt";
  await page.click(`#rules button.rule[data-rule="${rule}"]`);
  const visible = await page.$$eval(".line.removed", (lines) =>
    lines.filter((l) => l.offsetParent !== null).map((l) => l.dataset.rule),
  );
  assert.ok(visible.length > 0, "the rule's removals are visible");
  assert.deepEqual([...new Set(visible)], [rule]);
  const sections = await page.$$eval(".rule-samples", (s) =>
    s.filter((x) => x.offsetParent !== null).map((x) => x.dataset.rule),
  );
  assert.deepEqual(sections, [rule]);
  await page.screenshot({ path: join(shots, "report-rule.png"), fullPage: false });
  await page.click("#show-all");
  const all = await page.$$eval(".line.removed", (l) => l.filter((x) => x.offsetParent !== null).length);
  assert.ok(all > visible.length);
  await page.close();
});

test("a hostile page's markup shows as text and never runs", async () => {
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(pathToFileURL(join(work, "hostile.html")).href);
  await page.waitForLoadState("load");
  assert.deepEqual(dialogs, []);
  assert.equal(await page.locator("img[src=x]").count(), 0);
  const text = await page.textContent("body");
  assert.ok(text.includes("<script>alert(1)</script>"));
  assert.ok(text.includes("<img src=x onerror=alert(1)>"));
  await page.close();
});

// Drive the Voilà-served widget gallery in Debian's Chromium (playwright-core, no downloaded browser): for every widget
// (`.segnb-live`), move each control and check that the figure (its PNG) and the caption change, and that the caption
// shows the control's new value. Screenshots before/after each move go to $ARTIFACTS.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const url = process.env.GALLERY_URL, art = process.env.ARTIFACTS;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const EXPECTED_WIDGETS = 6;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
let failures = 0, moves = 0;
const log = [];
function report(line) { console.log(line); log.push(line); }
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', e => report(`page error: ${e.message}`));
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180000 });
  await page.waitForFunction(n => {
    const lives = document.querySelectorAll('.segnb-live');
    return lives.length >= n && [...lives].every(l => l.querySelector('img') && l.querySelector('.segnb-caption').innerText.trim());
  }, EXPECTED_WIDGETS, { timeout: 180000, polling: 100 });
  const openS = (Date.now() - t0) / 1000;
  report(`gallery opened: ${EXPECTED_WIDGETS} widgets drawn ${openS.toFixed(1)} s after the page was requested`);
  await page.screenshot({ path: `${art}/gallery.png`, fullPage: true });
  const lives = page.locator('.segnb-live');
  const n = await lives.count();
  if (n !== EXPECTED_WIDGETS) { report(`FAIL: ${n} widgets on the page, expected ${EXPECTED_WIDGETS}`); failures++; }
  for (let i = 0; i < n; i++) {
    const live = lives.nth(i);
    await live.scrollIntoViewIfNeeded();
    const controls = live.locator('.widget-slider, .widget-dropdown, .widget-checkbox');
    const m = await controls.count();
    for (let j = 0; j < m; j++) {
      const ctrl = controls.nth(j);
      const label = (await ctrl.innerText()).replace(/[\u200b\s]+/g, ' ').trim().split(' ').slice(0, 4).join(' ') || `control ${j}`;
      const img0 = await live.locator('img').first().getAttribute('src');
      const cap0 = (await live.locator('.segnb-caption').innerText()).trim();
      await live.screenshot({ path: `${art}/widget${i}-control${j}-before.png` });
      const cls = await ctrl.getAttribute('class');
      let expect = null;
      if (cls.includes('widget-slider')) {
        const readout = ctrl.locator('.widget-readout');
        const r0 = (await readout.innerText()).trim();
        await ctrl.locator('.noUi-handle').first().focus();
        for (const key of ['ArrowRight', 'ArrowLeft']) {               // right, or left at the right end
          for (let k = 0; k < 3; k++) await page.keyboard.press(key);
          await page.waitForTimeout(200);
          if ((await readout.innerText()).trim() !== r0) break;
        }
        expect = (await readout.innerText()).trim();
        if (expect === r0) { report(`FAIL widget ${i} '${label}': the slider did not move (readout ${r0})`); failures++; continue; }
      } else if (cls.includes('widget-dropdown')) {
        const sel = ctrl.locator('select');
        const opts = await sel.locator('option').allInnerTexts(), cur = await sel.inputValue();
        expect = opts.find(o => o.trim() !== cur.trim()).trim();
        await sel.selectOption({ label: expect });
      } else {
        await ctrl.locator('input[type=checkbox]').click();
      }
      moves++;
      try {
        await page.waitForFunction(([i, src, cap, want]) => {           // redrawn, and (after a burst of keys) caught up
          const live = document.querySelectorAll('.segnb-live')[i], img = live.querySelector('img');
          const c = live.querySelector('.segnb-caption').innerText.trim();
          return img && img.getAttribute('src') !== src && c !== cap && (want === null || c.includes(want));
        }, [i, img0, cap0, expect], { timeout: 30000, polling: 100 });
      } catch (e) {
        const c = (await live.locator('.segnb-caption').innerText()).trim();
        report(`FAIL widget ${i} '${label}': within 30 s the figure did not change or the caption ('${c}') did not show ${expect ?? 'a change'}`);
        failures++; continue;
      }
      await page.waitForTimeout(300);                                   // let the last redraw of a key burst land
      const cap1 = (await live.locator('.segnb-caption').innerText()).trim();
      await live.screenshot({ path: `${art}/widget${i}-control${j}-after.png` });
      if (expect !== null && !cap1.includes(expect)) { report(`FAIL widget ${i} '${label}': caption '${cap1}' does not show '${expect}'`); failures++; continue; }
      report(`ok   widget ${i} '${label}' -> ${expect ?? 'toggled'}: figure redrawn; caption now '${cap1}'`);
    }
  }
} catch (e) { report(`FAIL: ${e.message}`); failures++; }
finally { await browser.close(); }
report(`browser test: ${moves} controls moved, ${failures} failures`);
writeFileSync(`${art}/result.txt`, log.join('\n') + '\n');
process.exit(failures ? 1 : 0);

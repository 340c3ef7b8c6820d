// Search in the inbox (/inbox?q=) in a real browser, at 1280 px and 400 px:
// the results and the highlighted match fit the window (no sideways scroll,
// a long unbroken word included), no serious accessibility violation (axe),
// and a result opens the conversation's chatbox at the text.
'use strict';
const t = require('./lib');
const { BASE, check, login, axe, shot } = t;

const PW = 'browser password 3';
const AGENT = t.mobile(), BORROWER = t.mobile();
const WORD = 'kestrel' + t.UNIQ.replace(/[0-9]/g, (d) => 'abcdefghij'[d]);
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Search ${t.UNIQ}`, sms_enabled: true }],
		users: [{ key: 'al', org: 'o', email: `search.${t.UNIQ}@browser.test`, name: 'Sue Search', role: 'agent',
			password: PW, sms_permission: true, sms_number: AGENT }],
		leads: [{ key: 'l', org: 'o', name: 'Searchwell purchase with a rather long application name', assigned: ['al'],
			contacts: [{ key: 'c', role: 'borrower', name: 'Bianca Searchwell-Montgomery', mobile: BORROWER }] }],
	});
} catch (e) {
	t.report('the search test data imports', false, String(e));
	process.exit(1);
}
const L = ids.leads.l;

async function at(browser, width) {
	const ctx = await browser.newContext({ viewport: { width, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `search.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/inbox?q=${WORD}`);
	await check(`search at ${width} px: the text is listed, the word highlighted`, async () =>
		(await page.locator('.search-results mark').first().textContent()) === WORD);
	await check(`search at ${width} px: no sideways scroll`, async () =>
		page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
	await axe(page, `search at ${width} px`);
	await shot(page, `search-${width}`);
	if (width === 1280) {
		await Promise.all([page.waitForNavigation(), page.locator('a.search-row').first().click()]);
		await check('a result opens the chatbox at the text', async () => {
			const u = new URL(page.url());
			const id = u.hash.slice(1);
			return u.pathname === `/leads/${L}` && /^msg-[0-9]+$/.test(id) &&
				(await page.locator(`#${id} .msg-text`).textContent()).includes(WORD);
		});
	}
	await ctx.close();
}

(async () => {
	try {
		await t.inbound(BORROWER, AGENT, `Here is the ${WORD} and an unbroken ` +
			'https://example.com/a-very-long-address-without-any-space-' + 'x'.repeat(120));
	} catch (e) {
		t.report('the search test text arrives', false, String(e));
		process.exit(1);
	}
	await t.run('search walks', (b) => at(b, 1280), (b) => at(b, 400));
})();

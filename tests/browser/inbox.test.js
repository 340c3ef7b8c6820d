// /inbox in a real browser, with smsdesk's JavaScript on and off, at 1280 px and
// 400 px: the rows fit the window (no sideways scroll), axe finds no
// serious or critical violation, the filters are links that keep their
// address, Done takes a row out of Needs reply and back to the same page,
// and the header's count says it for a screen reader.
'use strict';
const t = require('./lib');
const { BASE, check, login, axe, shot } = t;

const PW = 'browser password 3';
const AL = t.mobile(), BOB = t.mobile(), CY = t.mobile();
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Inbox ${t.UNIQ}`, sms_enabled: true }],
		users: [
			{ key: 'al', org: 'o', email: `inbox.${t.UNIQ}@browser.test`, name: 'Ines Inbox', role: 'agent',
				password: PW, sms_permission: true, sms_number: AL }],
		leads: [
			{ key: 'l', org: 'o', name: 'A rather long application name to wrap on a narrow screen', assigned: ['al'],
				contacts: [{ key: 'b', role: 'borrower', name: 'Bartholomew Longname-Borrower', mobile: BOB },
					{ key: 'c', role: 'co_borrower', name: 'Cy Co', mobile: CY }] }],
		consents: [{ agent: 'al', contact: 'b', status: 'granted' }],
	});
} catch (e) {
	t.report('the inbox test data imports', false, String(e));
	process.exit(1);
}

// the page is no wider than the window
async function noSideways(page) {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function walk(browser, script) {
	const tag = script ? 'js' : 'nojs';
	// without JavaScript: smsdesk's scripts are not loaded (axe still runs
	// its own; with JavaScript disabled in the context it cannot)
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	if (!script)
		await ctx.route(/\/static\/[^?]*\.js(\?|$)/, (route) => route.abort());
	const page = await ctx.newPage();
	await login(page, `inbox.${t.UNIQ}@browser.test`, PW);
	await page.goto(`${BASE}/inbox`);
	await check(`${tag}: the agent lands on Needs reply, listing both`, async () =>
		(await page.locator('.inbox-row.needs').count()) === 2);
	await check(`${tag}: the header reads "2 need a reply"`, async () =>
		(await page.locator('.needs-count').textContent()).trim() === '2 need a reply');
	for (const width of [1280, 400]) {
		await page.setViewportSize({ width, height: 800 });
		await check(`${tag}: no sideways scroll at ${width} px`, () => noSideways(page));
		await axe(page, `${tag}: /inbox at ${width} px`);
		await shot(page, `inbox-${tag}-${width}`);
	}
	await page.setViewportSize({ width: 1280, height: 800 });
	await check(`${tag}: Mine is a link that keeps its address`, async () => {
		await Promise.all([page.waitForNavigation(), page.click('.inbox-filters a:text-is("Mine")')]);
		return new URL(page.url()).search === '?show=mine' &&
			(await page.locator('.inbox-filters a.current').textContent()) === 'Shown: Mine';
	});
	const row = page.locator('.inbox-row', { hasText: script ? 'Cy Co' : 'Bartholomew' });
	await check(`${tag}: Done takes the row out of Needs reply and comes back to the same page`, async () => {
		await Promise.all([page.waitForNavigation(), row.locator('button:has-text("Done")').click()]);
		return new URL(page.url()).search === '?show=mine' &&
			(await row.locator('.inbox-needs').count()) === 0 &&
			(await row.locator('button:has-text("Mark unread")').count()) === 1;
	});
	await check(`${tag}: the row opens the chatbox on its conversation`, async () => {
		await Promise.all([page.waitForNavigation(), row.locator('.inbox-open').click()]);
		return new URL(page.url()).pathname === `/leads/${ids.leads.l}` &&
			(await page.locator(`#chat-${ids.leads.l}`).count()) === 1;
	});
	await ctx.close();
}

async function main(browser) {
	await t.inbound(BOB, AL, 'Is the appraisal booked?');
	await t.inbound(CY, AL, 'Hi from Cy');
	await walk(browser, true);
	await t.inbound(CY, AL, 'Cy again');   // back under Needs reply for the walk without script
	await walk(browser, false);
}

t.run('the inbox walk finishes', main);

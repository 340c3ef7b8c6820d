// Every page fits a phone, for every role: at 400 px no page scrolls
// sideways and every control of the header lies inside the window; the
// tables keep the text, the name and the action; phone numbers never wrap
// in the middle. At 1280 px nothing spills out of its card. Screenshots
// of each page at both widths go to the test's directory.
'use strict';
const t = require('./lib');
const { BASE, check, login, shot, axe } = t;

const PW = 'phone layout password 1';
const AG = t.mobile();
const longName = 'Maximiliana Featherstonehaugh-Worthington';
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Phone layout ${t.UNIQ}`, sms_enabled: true }],
		users: [
			{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@phone.test`, name: 'Agnes Phone-Layout', role: 'agent',
				password: PW, sms_permission: true, sms_number: AG },
			{ key: 'mg', org: 'o', email: `mg.${t.UNIQ}@phone.test`, name: 'Manfred Phone-Layout', role: 'manager',
				password: PW },
			{ key: 'ad', org: 'o', email: `ad.${t.UNIQ}@phone.test`, name: 'Adelheid Phone-Layout', role: 'admin',
				password: PW },
			{ key: 'sa', email: `sa.${t.UNIQ}@phone.test`, name: 'Sabine Phone-Layout', role: 'superadmin',
				password: PW }],
		leads: [1, 2, 3].map((i) => ({
			key: `l${i}`, org: 'o', name: `${longName} refinance ${i}`, assigned: ['ag'],
			contacts: [{ key: `c${i}`, role: 'borrower', name: `${longName} ${i}`, mobile: t.mobile() }],
		})),
		consents: [{ agent: 'ag', contact: 'c1', status: 'granted' }],
	});
} catch (e) {
	t.report('the phone layout test data imports', false, String(e));
	process.exit(1);
}
const L1 = ids.leads.l1;

// What does not fit: the page's sideways overflow, and the header's
// controls (links, buttons, summaries) outside the window.
async function fits(page) {
	return page.evaluate(() => {
		const W = document.documentElement.clientWidth;
		const out = [];
		if (document.documentElement.scrollWidth > W + 0.5)
			out.push(`page ${document.documentElement.scrollWidth} px wide`);
		for (const e of document.querySelectorAll('header.top a, header.top summary, header.top button')) {
			const r = e.getBoundingClientRect();
			const closed = e.closest('details:not([open])');
			if ((r.width === 0 && r.height === 0) || (closed && e.parentElement !== closed))
				continue;  // inside a closed menu
			if (getComputedStyle(e).visibility === 'hidden' || e.closest('.skip'))
				continue;
			if (r.left < -0.5 || r.right > W + 0.5)
				out.push(`header control "${e.textContent.trim().slice(0, 20)}" at ${Math.round(r.left)}-${Math.round(r.right)}`);
		}
		// a table scrolling inside its card hides columns
		for (const e of document.querySelectorAll('main .table-wrap, main .table'))
			if (e.scrollWidth > e.clientWidth + 1)
				out.push(`${e.className} scrolls sideways (${e.scrollWidth} px in ${e.clientWidth})`);
		// anything drawn (not clipped away for screen readers) past the right edge
		for (const e of document.querySelectorAll('main *')) {
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.right <= W + 0.5 || e.closest('details:not([open]) > :not(summary)'))
				continue;
			let clipped = false;
			for (let p = e; p && p !== document.body; p = p.parentElement) {
				const s = getComputedStyle(p);
				if (s.overflowX !== 'visible' && p !== e) {
					const pr = p.getBoundingClientRect();
					if (pr.right <= W + 0.5) { clipped = true; break; }
				}
				if (s.clip && s.clip !== 'auto') { clipped = true; break; }
				if (s.position === 'absolute' && parseFloat(s.width) <= 1) { clipped = true; break; }
			}
			if (!clipped) {
				out.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 20)}" reaches ${Math.round(r.right)} px`);
				break;
			}
		}
		return out;
	});
}

// Every link of the header, the ones behind its menus too.
async function headerLinks(page) {
	return page.evaluate(() => [...new Set([...document.querySelectorAll('header.top a[href^="/"]')]
		.map((a) => a.getAttribute('href')).filter((h) => h !== '/' && !h.startsWith('/leads?')))]);
}

async function walkRoles(browser) {
	for (const role of ['ag', 'mg', 'ad', 'sa']) {
		const ctx = await browser.newContext({ viewport: { width: 400, height: 800 } });
		const page = await ctx.newPage();
		await login(page, `${role}.${t.UNIQ}@phone.test`, PW);
		const links = await headerLinks(page);
		const pages = ['/', ...links];
		if (role !== 'sa')
			pages.push(`/leads/${L1}`, `/leads/${L1}/consents`, `/leads?chat=${L1}`);
		for (const p of pages) {
			for (const w of [400, 1280]) {
				await page.setViewportSize({ width: w, height: 800 });
				await page.goto(`${BASE}${p}`);
				const bad = await fits(page);
				t.report(`${role}: ${p} fits ${w} px`, bad.length === 0, bad.join('; '));
				await shot(page, `phone-${role}-${p.replace(/[^a-z0-9]+/gi, '_')}-${w}`);
			}
		}
		await page.setViewportSize({ width: 400, height: 800 });
		await page.goto(`${BASE}/`);
		await check(`${role}: the header's links are all reachable at 400 px`, async () => {
			const menu = page.locator('header.top details.navmenu > summary');
			if (await menu.isVisible())
				await menu.click();
			const out = await fits(page);
			const hidden = await page.evaluate(() => [...document.querySelectorAll('nav.mainnav a')]
				.filter((a) => a.getBoundingClientRect().width === 0).map((a) => a.textContent));
			if (out.length || hidden.length)
				throw new Error(out.concat(hidden).join('; '));
		});
		await shot(page, `phone-${role}-menu-open-400`);
		await axe(page, `${role}: the open menu at 400 px`);
		await ctx.close();
	}
}

// the lead list and the Unmatched texts as tables of cards: the name, the
// text and the action in the window; numbers on one line
async function walkTables(browser) {
	const ctx = await browser.newContext({ viewport: { width: 400, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ag.${t.UNIQ}@phone.test`, PW);
	await t.inbound(t.mobile(), AG, 'Hi, this is a text from a number nobody knows, about my refinance rate');
	await page.goto(`${BASE}/leads`);
	await check('the lead list at 400 px: each row\'s SMS action inside the window', async () => {
		const r = await page.locator(`tr:has(a[href="/leads/${L1}"]) .quick-actions a`).first().boundingBox();
		return r !== null && r.x >= 0 && r.x + r.width <= 400;
	});
	await page.goto(`${BASE}/unmatched`);
	await check('the Unmatched texts at 400 px: the text is shown, inside the window', async () => {
		const r = await page.locator('text=a number nobody knows').first().boundingBox();
		return r !== null && r.x >= 0 && r.x + r.width <= 400 && r.width > 100;
	});
	await shot(page, 'phone-unmatched-cards-400');
	await check('phone numbers never wrap in the middle', async () => {
		for (const p of ['/unmatched', `/leads/${L1}`, `/leads/${L1}/consents`]) {
			await page.goto(`${BASE}${p}`);
			const broken = await page.evaluate(() => [...document.querySelectorAll('main *')]
				.filter((e) => e.children.length === 0 && /\(\d{3}\) \d{3}-\d{4}/.test(e.textContent) &&
					getComputedStyle(e).whiteSpace !== 'nowrap' &&
					!e.closest('.nowrap, .phone') && e.getClientRects().length > 1)
				.map((e) => e.textContent.trim()));
			if (broken.length)
				throw new Error(`${p}: ${broken.join(', ')}`);
			const numbers = await page.locator('main .phone').count();
			if (p === '/unmatched' && numbers === 0)
				throw new Error('no number marked .phone on /unmatched');
		}
	});
	await shot(page, 'phone-consents-cards-400');
	await ctx.close();
}

// without JavaScript the collapsed menu still opens (a <details>)
async function walkNoScript(browser) {
	const ctx = await browser.newContext({ viewport: { width: 400, height: 800 }, javaScriptEnabled: false });
	const page = await ctx.newPage();
	await login(page, `ad.${t.UNIQ}@phone.test`, PW);
	await check('without JavaScript, the admin\'s menu opens at 400 px and Usage is in the window', async () => {
		await page.click('header.top details.navmenu > summary');
		const r = await page.locator('nav.mainnav a[href="/reports/usage"]').boundingBox();
		return r !== null && r.x >= 0 && r.x + r.width <= 400;
	});
	await ctx.close();
}

t.run('the phone layout walk finishes', walkRoles, walkTables, walkNoScript);

// Images in the chat bubble: whatever the picture's size (a 1 x 1 pixel, a
// 16 x 16 icon, a wide strip, an ordinary photo), its Download button lies
// inside the picture's frame and covers none of the message's text, at
// 1280 and 400 px.
'use strict';
const zlib = require('node:zlib');
const t = require('./lib');
const { BASE, check, login, shot } = t;

const PW = 'tiny image password 1';
const AG = t.mobile();
const BORROWER = t.mobile();
let ids;
try {
	ids = t.importData({
		organizations: [{ key: 'o', name: `Images ${t.UNIQ}`, sms_enabled: true }],
		users: [{ key: 'ag', org: 'o', email: `ag.${t.UNIQ}@image.test`, name: 'Ivy Image', role: 'agent',
			password: PW, sms_permission: true, sms_number: AG, mms_enabled: true, display_images: true }],
		leads: [{ key: 'l', org: 'o', name: 'Image lead', assigned: ['ag'],
			contacts: [{ key: 'c', role: 'borrower', name: 'Pixel Borrower', mobile: BORROWER }] }],
		consents: [{ agent: 'ag', contact: 'c', status: 'granted' }],
	});
} catch (e) {
	t.report('the image test data imports', false, String(e));
	process.exit(1);
}
const LEAD = ids.leads.l;

// A w x h PNG, one colour.
function png(w, h) {
	const crcTable = [...Array(256)].map((_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (buf) => {
		let c = 0xffffffff;
		for (const b of buf)
			c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const len = Buffer.alloc(4), sum = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		sum.writeUInt32BE(crc(td));
		return Buffer.concat([len, td, sum]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x4a)]);
	const raw = Buffer.concat(Array(h).fill(row));
	return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// An inbound text with its image already fetched (the media worker's row).
async function imageText(body, w, h) {
	await t.inbound(BORROWER, AG, body);
	const id = t.sql(`SELECT id FROM messages WHERE body = '${body}' AND direction = 'inbound'`);
	const bytes = png(w, h);
	t.sql(`UPDATE messages SET num_media = 1 WHERE id = ${id};
		INSERT INTO message_media (message_id, idx, url, declared_type, status, content_type, size, bytes,
		fetched_at) VALUES (${id}, 0, 'https://media.test/${t.UNIQ}/${w}x${h}', 'image/png', 'fetched',
		'image/png', ${bytes.length}, UNHEX('${bytes.toString('hex')}'), NOW(6))`);
	return id;
}

const SIZES = [[1, 1], [16, 16], [600, 8], [640, 480]];

// For each image's bubble: the Download button's box, the picture frame's
// and the text's (one rectangle per line).
async function measure(page) {
	await page.evaluate(() => Promise.all([...document.images].map((i) => i.complete ? 0
		: new Promise((r) => { i.onload = i.onerror = r; }))));
	return page.evaluate((lead) => [...document.querySelectorAll(`#chat-${lead} .msg`)]
		.filter((m) => m.querySelector('.msg-download')).map((m) => {
			const rect = (r) => ({ l: r.left, t: r.top, r: r.right, b: r.bottom });
			const box = (e) => rect(e.getBoundingClientRect());
			const range = document.createRange();
			range.selectNodeContents(m.querySelector('.msg-text'));
			return { text: m.querySelector('.msg-text').textContent, lines: [...range.getClientRects()].map(rect),
				button: box(m.querySelector('.msg-download')), frame: box(m.querySelector('.msg-image')),
				img: box(m.querySelector('.msg-image img')), natural: m.querySelector('.msg-image img').naturalWidth };
		}), LEAD);
}

const overlaps = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 0.5 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 0.5;
const inside = (a, b) => a.l >= b.l - 0.5 && a.r <= b.r + 0.5 && a.t >= b.t - 0.5 && a.b <= b.b + 0.5;

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await ctx.newPage();
	await login(page, `ag.${t.UNIQ}@image.test`, PW);
	for (const [w, h] of SIZES)
		await imageText(`Picture ${w}x${h} of the signed disclosure ${t.UNIQ}`, w, h);
	for (const width of [1280, 400]) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto(`${BASE}/leads/${LEAD}?chat=${LEAD}`);
		const all = await measure(page);
		await check(`${width} px: the ${SIZES.length} pictures are shown, each with Download`, async () => {
			if (all.length !== SIZES.length || all.some((m) => !m.natural))
				throw new Error(JSON.stringify(all));
		});
		for (const [w, h] of SIZES) {
			const m = all.find((x) => x.text.includes(`${w}x${h}`));
			// the picture is under the text: so is the whole button, below
			// the text's last line (not merely beside a short last line)
			await check(`${width} px: a ${w} x ${h} picture's Download covers none of the text`, async () => {
				const bottom = m && Math.max(...m.lines.map((l) => l.b));
				if (!m || !m.lines.length || m.lines.some((l) => overlaps(l, m.button)) || m.button.t < bottom - 0.5)
					throw new Error(JSON.stringify(m));
			});
			await check(`${width} px: a ${w} x ${h} picture's Download lies inside the picture's frame`, async () => {
				if (!m || !inside(m.button, m.frame))
					throw new Error(JSON.stringify(m));
			});
		}
		await page.locator(`#chat-${LEAD} .msg-image`).first().scrollIntoViewIfNeeded();
		await shot(page, `chatbox-tiny-images-${width}`);
	}
	await ctx.close();
}

t.run('the image walk completes', walk);

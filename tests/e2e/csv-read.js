// csv-read.js FILE: reads a CSV download with a real CSV reader (csv-parse,
// RFC 4180) and prints its rows as one JSON array of arrays.
'use strict';
const fs = require('fs');
const { parse } = require('csv-parse/sync');
const rows = parse(fs.readFileSync(process.argv[2]), { relax_column_count: false, bom: true });
process.stdout.write(JSON.stringify(rows) + '\n');

'use strict';
// n8n-core writes its settings under N8N_USER_FOLDER on first use: give each test file its own.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-s3-test-'));
// The SDK warns on every load that Node 20 support ends in 2027; n8n 2.x users run Node 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

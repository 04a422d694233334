'use strict';
module.exports = async () => {
	await globalThis.__S3RVER__?.stop();
};

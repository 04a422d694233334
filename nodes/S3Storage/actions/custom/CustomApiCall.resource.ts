import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		options: [
			{
				name: 'Send Request',
				value: 'send',
				description: 'Send any S3 API request (method, bucket, key or path, query, headers, body), signed with the credential',
				action: 'Send a custom API call',
			},
		],
		default: 'send',
	},
	...send.description,
];

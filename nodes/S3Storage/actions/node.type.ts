import type * as bucket from './bucket/Bucket.resource';
import type * as customApiCall from './custom/CustomApiCall.resource';
import type * as folder from './folder/Folder.resource';
import type * as object from './object/Object.resource';

/** Operation values per resource, derived from what each resource module exports. */
type OperationsOf<Module> = Exclude<keyof Module, 'description'>;

export type S3StorageMap = {
	bucket: OperationsOf<typeof bucket>;
	customApiCall: OperationsOf<typeof customApiCall>;
	folder: OperationsOf<typeof folder>;
	object: OperationsOf<typeof object>;
};

export type S3StorageResource = keyof S3StorageMap;

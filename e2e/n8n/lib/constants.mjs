// Names the harness relies on; they must match the package's package.json and descriptions.
export const PACKAGE_NAME = 'n8n-nodes-s3-storage';
export const NODE_NAME = 's3Storage';
export const NODE_TYPE = `${PACKAGE_NAME}.${NODE_NAME}`;
export const NODE_DISPLAY_NAME = 'S3 Storage';
export const CREDENTIAL_TYPE = 's3StorageApi';
export const CREDENTIAL_DISPLAY_NAME = 'S3 Storage API';
export const CREDENTIAL_ID = 'e2eS3Credential1';
export const CREDENTIAL_NAME = 'S3 Storage (e2e)';
/** The editor test's copy of workflows/s3-roundtrip.json (own bucket, run from the editor). */
export const EDITOR_WORKFLOW_ID = 'e2eS3EditorRun01';

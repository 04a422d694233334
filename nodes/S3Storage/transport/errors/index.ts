/** How failures are worded: S3 answers (./s3), the network (./network), sign-in (./signIn). */
export { DamagedBodyError, IncompleteBodyError } from './body';
export { CustomerKeyIgnoredError } from './encryption';
export { describeHttpSourceError, HttpSourceError, type HttpSourceFailure } from './httpSource';
export { RESTORE_ACTION } from './restore';
export { describeS3Error, toNodeApiError, type S3ErrorContext } from './s3';
export { BODY_CUT_CODES, causeChain, humanizeCodes, NETWORK_CODES, networkCode, networkWords, TLS_CODES } from './network';
export {
	describeAssumeRoleFailure,
	describeMachineIdentityFailure,
	redact,
	SignInError,
	signInErrorIn,
	type SignInStep,
} from './signIn';
export type { DescribedError, SdkErrorShape } from './types';

/**
 * Signing in: checking the settings (./settings), memoizing temporary credentials (./credentials)
 * and building and caching the providers of each sign-in mode (./providers). Failures are worded
 * in ../errors (SignInError).
 */
export {
	assertAuthAllowed,
	assertCustomCa,
	authenticationMode,
	AuthSettingsError,
	DEFAULT_ROLE_SESSION_NAME,
	DEFAULT_SESSION_DURATION,
	MACHINE_IDENTITY_ENV,
	machineIdentityAllowed,
	MAX_SESSION_DURATION,
	MIN_SESSION_DURATION,
	roleSettings,
	usesMachineIdentity,
	type AuthContext,
	type AuthenticationMode,
	type AuthFields,
} from './settings';
export {
	memoizeCredentials,
	REFRESH_MARGIN_MS,
	STATIC_MACHINE_CREDENTIALS_MAX_AGE_MS,
	type Credentials,
	type CredentialsProvider,
} from './credentials';
export { authPlanFor, clearAuthCache, machineIdentitySourceOf, type AuthPlan } from './providers';

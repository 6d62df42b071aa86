namespace McpGrains.Grains;

/// <summary>Stable event ids of the grains' log messages, in one place.</summary>
internal static class LogEvents
{
    public const int SessionAuthorizationStarted = 1001;
    public const int SessionConnected = 1002;
    public const int SessionCallbackRejected = 1003;
    public const int SessionExchangeFailed = 1004;
    public const int SessionRefreshed = 1005;
    public const int SessionRefreshRejected = 1006;
    public const int SessionRefreshFailed = 1007;
    public const int SessionDisconnected = 1008;
    public const int SessionSetupFailed = 1009;
    public const int SessionRelayFailed = 1010;
    public const int UpstreamConnected = 1011;
    public const int UpstreamConnectFailed = 1012;
    public const int UpstreamClosed = 1013;
    public const int UpstreamRequestFailed = 1014;
    public const int UpstreamTokenRejected = 1015;
    public const int UpstreamSessionExpired = 1016;
    public const int UpstreamDestinationRefused = 1060;

    public const int ServerDiscovered = 1101;
    public const int ServerDiscoveryFailed = 1102;
    public const int ServerRegistered = 1103;
    public const int ServerReset = 1104;
    public const int ServerNoAuthorization = 1105;
    public const int ServerChallengeRediscovered = 1106;
    public const int ServerIssuerChanged = 1110;
    public const int ServerIssuerPinned = 1111;
    public const int SessionStepUp = 1017;
    public const int UpstreamToolListFailed = 1020;

    public const int SessionSignInClaimed = 1040;
    public const int SessionSignInRefused = 1041;
    public const int SessionSignInCancelled = 1042;
    public const int SessionSecretUnreadable = 1080;
    public const int SessionRevocationSkipped = 1081;
    public const int KeyFingerprintRecorded = 1082;
    public const int KeyFingerprintDiffers = 1083;

    public const int DownstreamSessionStarted = 1120;
    public const int DownstreamSessionEnded = 1121;
    public const int ToolCatalogUpdated = 1130;
    public const int ToolNameTooLong = 1131;

    public const int PortalLinkIssued = 1200;
    public const int PortalLinkOpened = 1201;
    public const int PortalLinkRefused = 1202;
    public const int SessionAwaitingVerification = 1220;
    public const int SessionVerificationConfirmed = 1221;
    public const int SessionVerificationRefused = 1222;
    public const int SessionVerificationNotPending = 1223;
    public const int ServerSharedTokenObtained = 1240;
    public const int ServerSharedTokenFailed = 1241;
    public const int ServerSharedTokenRejected = 1242;
    public const int SessionIdentityAssertionRedeemed = 1243;
    public const int SessionIdentityAssertionFailed = 1244;
}

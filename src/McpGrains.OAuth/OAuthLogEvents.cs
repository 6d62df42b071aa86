namespace McpGrains.OAuth;

/// <summary>Stable event ids of McpGrains.OAuth logging (range 2000-2999).</summary>
internal static class OAuthLogEvents
{
    public const int ProbeResult = 2001;
    public const int SessionDeleteFailed = 2002;
    public const int ResourceMetadataFound = 2003;
    public const int ResourceMetadataNotFound = 2004;
    public const int AuthorizationServerMetadataFound = 2005;
    public const int AuthorizationServerMetadataSkipped = 2006;
    public const int LegacyDefaultEndpoints = 2007;
    public const int ClientRegistered = 2020;
    public const int ClientRegistrationFailed = 2021;
    public const int TokenRequestSucceeded = 2040;
    public const int TokenRequestFailed = 2041;
    public const int RevocationFailed = 2042;
    public const int DestinationRefused = 2060;
}

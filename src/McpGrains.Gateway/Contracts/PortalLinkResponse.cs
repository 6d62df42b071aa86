namespace McpGrains.Gateway.Contracts;

/// <summary><c>{"url","expiresAt"}</c>: a single-use link to the user's connections page, and until when it can be opened.</summary>
public sealed record PortalLinkResponse(string Url, DateTimeOffset ExpiresAt)
{
    // The link is a credential for the user's page: keep it out of logs.
    public override string ToString() => $"PortalLinkResponse {{ ExpiresAt = {ExpiresAt:O} }}";
}

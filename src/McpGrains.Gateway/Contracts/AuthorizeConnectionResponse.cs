using System.Text.Json.Serialization;

namespace McpGrains.Gateway.Contracts;

/// <summary><c>{"status":"authorization_required","authorizationUrl":"..."}</c> (McpGrains' sign-in link) or <c>{"status":"connected"}</c>.</summary>
public sealed record AuthorizeConnectionResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorizationUrl)
{
    public const string AuthorizationRequiredStatus = "authorization_required";
    public const string ConnectedStatus = "connected";

    public static AuthorizeConnectionResponse Connected { get; } = new(ConnectedStatus, null);

    public static AuthorizeConnectionResponse Required(string authorizationUrl) => new(AuthorizationRequiredStatus, authorizationUrl);

    // The sign-in link carries its ticket: keep it out of logs.
    public override string ToString() => $"AuthorizeConnectionResponse {{ Status = {Status} }}";
}

namespace McpGrains.OAuth;

/// <summary>Outcome of the RFC 9207 <c>iss</c> check of an authorization response.</summary>
public enum IssuerCheck
{
    Valid,
    Missing,
    Mismatch,
}

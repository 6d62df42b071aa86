namespace McpGrains.Testing;

/// <summary>A third-party token obtained by a delegating authorization server for one user.</summary>
public sealed record DelegatedGrant(string Subject, string ThirdPartyAccessToken)
{
    public override string ToString() => $"DelegatedGrant {{ Subject = {Subject} }}";
}

namespace McpGrains.Testing.Tests;

internal sealed record AuthorizationResult(IReadOnlyDictionary<string, string> Callback, string Verifier, string State)
{
    public string Code => Callback.TryGetValue("code", out var code) ? code : throw new InvalidOperationException("No code in the callback: " + string.Join(", ", Callback.Keys));
}

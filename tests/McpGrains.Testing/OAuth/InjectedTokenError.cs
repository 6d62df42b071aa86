namespace McpGrains.Testing;

/// <summary>An error the token endpoint returns for the next <see cref="RemainingTimes"/> requests.</summary>
internal sealed class InjectedTokenError(string error, string? description, int times)
{
    public string Error { get; } = error;

    public string? Description { get; } = description;

    public int RemainingTimes { get; set; } = times;
}

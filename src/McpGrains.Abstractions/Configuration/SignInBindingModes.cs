namespace McpGrains.Configuration;

/// <summary>
/// The values of <c>McpGrains:HostApps:&lt;name&gt;:Binding</c>: what ties a sign-in to the person it was started
/// for. <see cref="Browser"/> binds it to the browser that confirms it on McpGrains' page (a cookie); the stronger
/// modes (the organization's OpenID Connect sign-in, confirmation by the host app) are not implemented yet.
/// </summary>
public static class SignInBindingModes
{
    public const string Browser = "browser";

    public static IReadOnlyList<string> Implemented { get; } = [Browser];

    public static bool IsImplemented(string? mode) => Implemented.Contains(mode ?? string.Empty, StringComparer.Ordinal);
}

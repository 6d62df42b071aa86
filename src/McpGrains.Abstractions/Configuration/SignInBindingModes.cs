namespace McpGrains.Configuration;

/// <summary>
/// The values of <c>McpGrains:HostApps:&lt;name&gt;:Binding</c>: what ties a sign-in to the person it was started
/// for. <see cref="Browser"/> binds it to the browser that confirms it on McpGrains' page (a cookie). The strong modes
/// bind it to the identity the host app named: <see cref="Oidc"/> signs the browser in with the organization's OpenID
/// Connect provider before the confirmation page and compares a claim with the identity the host app named;
/// <see cref="HostVerification"/> keeps the tokens unbound after the callback until the host app confirms, for the user
/// signed in there, that the flow is that user's.
/// </summary>
public static class SignInBindingModes
{
    public const string Browser = "browser";

    public const string Oidc = "oidc";

    public const string HostVerification = "host-verification";

    public static IReadOnlyList<string> Implemented { get; } = [Browser, Oidc, HostVerification];

    public static bool IsImplemented(string? mode) => Implemented.Contains(mode ?? string.Empty, StringComparer.Ordinal);
}

namespace McpGrains.Host;

/// <summary>
/// The public development values of <c>appsettings.Development.json</c> (they are in git): usable only in the
/// Development environment, see <see cref="DevelopmentSettingsValidator"/>.
/// </summary>
public static class DevelopmentSettings
{
    /// <summary>The key of the development host app <c>dev</c>.</summary>
    public const string HostKey = "dev-host-key-change-me-0123456789";

    /// <summary>The development encryption master key (<c>dev-only-1</c>), base64.</summary>
    public const string EncryptionKey = "JLwdCiyIM4ByfhBFyXISNpBq2IHb1GswfTjorPfIxo4=";
}

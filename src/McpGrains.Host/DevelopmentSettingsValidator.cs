using McpGrains.Configuration;
using Microsoft.Extensions.Options;

namespace McpGrains.Host;

/// <summary>
/// Outside the Development environment, refuses the settings that only a developer machine may use: plain http and
/// loopback upstreams (<c>AllowInsecureLoopback</c>), and the public development host key and encryption key, under
/// whatever name or id they were copied. Names the key at fault, never its value.
/// </summary>
public sealed class DevelopmentSettingsValidator(IHostEnvironment environment) : IValidateOptions<McpGrainsOptions>
{
    public ValidateOptionsResult Validate(string? name, McpGrainsOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var where = $"the '{environment.EnvironmentName}' environment";
        if (options.Security.AllowInsecureLoopback)
        {
            failures.Add($"McpGrains:Security:AllowInsecureLoopback=true is allowed only in the Development environment (this is {where}); set ASPNETCORE_ENVIRONMENT=Development for a local try, or remove it.");
        }

        foreach (var (app, host) in options.HostApps)
        {
            if (string.Equals(host.ApiKey, DevelopmentSettings.HostKey, StringComparison.Ordinal))
            {
                failures.Add($"McpGrains:HostApps:{app}:ApiKey is the public development host key of appsettings.Development.json, refused in {where}; generate a key (e.g. openssl rand -hex 24).");
            }
        }

        foreach (var (keyId, key) in options.Security.Keys)
        {
            if (string.Equals(key?.Trim(), DevelopmentSettings.EncryptionKey, StringComparison.Ordinal))
            {
                failures.Add($"McpGrains:Security:Keys:{keyId} is the public development encryption key of appsettings.Development.json, refused in {where}; generate one with openssl rand -base64 32.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using McpGrains.Configuration;
using McpGrains.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace McpGrains.Gateway.Tests.Configuration;

public sealed class McpGrainsOptionsValidatorTests
{
    [Fact]
    public void The_test_configuration_is_valid()
    {
        Assert.Empty(Validate(_ => { }));
    }

    [Fact]
    public void Bad_public_base_url_is_named()
    {
        var failures = Validate(s => s["McpGrains:PublicBaseUrl"] = "not a url");

        Assert.Contains(failures, f => f.StartsWith("McpGrains:PublicBaseUrl must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_server_url_is_named()
    {
        var failures = Validate(s => s["McpGrains:Servers:alpha:Url"] = "ftp://alpha.example/");

        Assert.Contains("McpGrains:Servers:alpha:Url must be an absolute http(s) URL.", failures);
    }

    [Theory]
    [InlineData("TokenEndpoint", "not a url", "must be an absolute")]
    [InlineData("AuthorizationEndpoint", "http://as.example/authorize", "AllowInsecureLoopback")]
    public void Bad_pinned_endpoint_is_named(string key, string value, string expected)
    {
        var failures = Validate(s => s[$"McpGrains:Servers:alpha:OAuth:{key}"] = value);

        Assert.Contains(failures, f => f.Contains($"McpGrains:Servers:alpha:OAuth:{key}", StringComparison.Ordinal) && f.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://alpha.example/mcp")]
    [InlineData("https://127.0.0.1/mcp")]
    public void Http_or_loopback_upstream_needs_the_insecure_switch(string url)
    {
        var refused = Validate(s => s["McpGrains:Servers:alpha:Url"] = url);
        var allowed = Validate(s =>
        {
            s["McpGrains:Servers:alpha:Url"] = url;
            s["McpGrains:Security:AllowInsecureLoopback"] = "true";
        });

        Assert.Contains(refused, f => f.Contains("McpGrains:Servers:alpha:Url", StringComparison.Ordinal) && f.Contains("AllowInsecureLoopback=true", StringComparison.Ordinal));
        Assert.Empty(allowed);
    }

    [Theory]
    [InlineData("Binding", "strong", "McpGrains:HostApps:{0}:Binding must be one of browser, oidc, host-verification (was 'strong').")]
    [InlineData("DisplayName", "   ", "McpGrains:HostApps:{0}:DisplayName must be 1 to 200 characters without control characters.")]
    public void Bad_host_app_sign_in_settings_are_named(string key, string value, string expected)
    {
        var failures = Validate(s => s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:{key}"] = value);

        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, TestConfiguration.AppOne), failures);
    }

    [Theory]
    [InlineData("oidc", null, null, "McpGrains:HostApps:{0}:Oidc:Authority must be an absolute http(s) URL.")]
    [InlineData("oidc", null, null, "McpGrains:HostApps:{0}:Oidc:ClientId is required with Binding=oidc.")]
    [InlineData("oidc", "Oidc:Authority", "http://login.example.com", "McpGrains:HostApps:{0}:Oidc:Authority must use https (http only in development, with McpGrains:Security:AllowInsecureLoopback=true).")]
    [InlineData("oidc", "Oidc:IdentityHeader", "X User Email", "McpGrains:HostApps:{0}:Oidc:IdentityHeader must be a header name (letters, digits and '-').")]
    [InlineData("oidc", "Oidc:Scopes", "email", "McpGrains:HostApps:{0}:Oidc:Scopes must include openid.")]
    [InlineData("host-verification", null, null, "McpGrains:HostApps:{0}:VerificationUrl must be an absolute http(s) URL.")]
    [InlineData("host-verification", "VerificationTimeout", "00:00:05", "McpGrains:HostApps:{0}:VerificationTimeout must be between 00:00:30 and 01:00:00.")]
    public void Strong_binding_modes_name_the_settings_they_miss(string binding, string? key, string? value, string expected)
    {
        var failures = Validate(s =>
        {
            s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:Binding"] = binding;
            if (key is not null)
            {
                s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:{key}"] = value;
            }
        });

        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, TestConfiguration.AppOne), failures);
    }

    [Fact]
    public void Strong_binding_modes_with_their_settings_are_valid()
    {
        var failures = Validate(s =>
        {
            s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:Binding"] = "oidc";
            s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:Oidc:Authority"] = "https://login.example.com";
            s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:Oidc:ClientId"] = "mcpgrains";
            s[$"McpGrains:HostApps:{TestConfiguration.AppTwo}:Binding"] = "host-verification";
            s[$"McpGrains:HostApps:{TestConfiguration.AppTwo}:VerificationUrl"] = "https://chat.example.com/verify";
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Bad_user_label_header_is_named()
    {
        var failures = Validate(s => s["McpGrains:UserLabelHeader"] = "X User Label");

        Assert.Contains("McpGrains:UserLabelHeader must be a header name (letters, digits and '-').", failures);
    }

    [Theory]
    [InlineData("1023", true)]
    [InlineData("0", true)]
    [InlineData("1024", false)]
    [InlineData("1073741824", false)]
    public void Upstream_answer_limit_has_a_floor(string value, bool refused)
    {
        var failures = Validate(s => s["McpGrains:Upstream:MaxResponseBytes"] = value);

        Assert.Equal(refused, failures.Contains("McpGrains:Upstream:MaxResponseBytes must be at least 1024 (bytes of one upstream answer)."));
    }

    [Fact]
    public void Missing_encryption_keys_are_reported()
    {
        var failures = Validate(s =>
        {
            s.Remove("McpGrains:Security:Keys:k1");
            s.Remove("McpGrains:Security:ActiveKeyId");
        });

        Assert.Contains(failures, f => f.StartsWith("No encryption keys are configured", StringComparison.Ordinal));
    }

    [Fact]
    public void Active_key_must_exist_and_keys_must_be_32_bytes()
    {
        var failures = Validate(s =>
        {
            s["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(new byte[16]);
            s["McpGrains:Security:ActiveKeyId"] = "k2";
        });

        Assert.Contains(failures, f => f.Contains("'k1' must be base64 of exactly 32 bytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ActiveKeyId 'k2' is not one of the configured keys", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_api_keys_are_refused()
    {
        var failures = Validate(s => s[$"McpGrains:HostApps:{TestConfiguration.AppTwo}:ApiKey"] = TestConfiguration.AppOneKey);

        Assert.Contains(failures, f => f.Contains("is the same as another host app's key", StringComparison.Ordinal));
    }

    [Fact]
    public void Short_api_keys_and_missing_host_apps_are_refused()
    {
        var shortKey = Validate(s => s[$"McpGrains:HostApps:{TestConfiguration.AppTwo}:ApiKey"] = "short");
        var noApps = Validate(s =>
        {
            s.Remove($"McpGrains:HostApps:{TestConfiguration.AppOne}:ApiKey");
            s.Remove($"McpGrains:HostApps:{TestConfiguration.AppTwo}:ApiKey");
        });

        Assert.Contains($"McpGrains:HostApps:{TestConfiguration.AppTwo}:ApiKey must be at least 16 characters.", shortKey);
        Assert.Contains(noApps, f => f.StartsWith("At least one host app is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.0.0.0/8", null)]
    [InlineData(" fd00::/8 ", null)]
    [InlineData("100.64.0.0/10", null)]
    [InlineData("10.0.0.0", "is not a CIDR network")]
    [InlineData("10.0.0.0/33", "is not a CIDR network")]
    [InlineData("cluster.local", "is not a CIDR network")]
    [InlineData("10.0.0.1/8", "did you mean 10.0.0.0/8?")]
    [InlineData("::ffff:10.0.0.0/104", "write it in IPv4 form")]
    [InlineData("0.0.0.0/0", "overlaps 0.0.0.0/8")]
    [InlineData("127.0.0.0/8", "overlaps 127.0.0.0/8")]
    [InlineData("169.254.0.0/16", "overlaps 169.254.0.0/16")]
    [InlineData("::/0", "overlaps ::/127")]
    [InlineData("fe80::/64", "overlaps fe80::/10")]
    public void Allowed_private_networks_are_CIDRs_that_leave_loopback_and_link_local_out(string entry, string? problem)
    {
        var failures = Validate(s => s["McpGrains:Security:AllowedPrivateNetworks:0"] = entry);

        if (problem is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            var failure = Assert.Single(failures);
            Assert.StartsWith($"McpGrains:Security:AllowedPrivateNetworks entry '{entry}'", failure, StringComparison.Ordinal);
            Assert.Contains(problem, failure, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://as.example.com", null)]
    [InlineData("https://as.example.com/tenant/v2.0", null)]
    [InlineData("as.example.com", "must be an absolute http(s) URL")]
    [InlineData("https://as.example.com/?tenant=1", "must not have a query or fragment")]
    [InlineData("http://as.example.com", "AllowInsecureLoopback")]
    public void Pinned_issuer_is_an_absolute_https_url_without_query(string issuer, string? problem)
    {
        var failures = Validate(s => s["McpGrains:Servers:alpha:OAuth:Issuer"] = issuer);

        if (problem is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains(failures, f => f.StartsWith("McpGrains:Servers:alpha:OAuth:Issuer", StringComparison.Ordinal) && f.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Failure_messages_never_echo_secrets()
    {
        var secret = "my-secret-key-value-0123456789";
        var failures = Validate(s =>
        {
            s[$"McpGrains:HostApps:{TestConfiguration.AppOne}:ApiKey"] = secret;
            s[$"McpGrains:HostApps:{TestConfiguration.AppTwo}:ApiKey"] = secret;
            s["McpGrains:Security:Keys:k1"] = "not-base64-" + secret;
        });

        Assert.NotEmpty(failures);
        Assert.DoesNotContain(failures, f => f.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CallsPerMinutePerHostApp", "0")]
    [InlineData("CallsPerMinutePerUser", "-1")]
    [InlineData("AuthorizationsPerHourPerUser", "0")]
    [InlineData("FailedHostKeyAttemptsPerMinute", "0")]
    [InlineData("MaxDownstreamSessionsPerHostApp", "0")]
    [InlineData("MaxDownstreamSessionsPerUser", "0")]
    [InlineData("MaxRequestBodyBytes", "1000")]
    [InlineData("MaxRequestBodyBytes", "5000000000")]
    public void Unusable_limits_are_named(string key, string value)
    {
        var failures = Validate(s => s[$"McpGrains:Limits:{key}"] = value);

        Assert.Contains(failures, f => f.StartsWith($"McpGrains:Limits:{key} must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_have_finite_defaults()
    {
        var limits = new McpGrainsOptions().Limits;

        Assert.Equal(4 * 1024 * 1024, limits.MaxRequestBodyBytes);
        Assert.All(
            new long[] { limits.CallsPerMinutePerHostApp, limits.CallsPerMinutePerUser, limits.AuthorizationsPerHourPerUser, limits.FailedHostKeyAttemptsPerMinute, limits.MaxDownstreamSessionsPerHostApp, limits.MaxDownstreamSessionsPerUser },
            limit => Assert.InRange(limit, 1, 100_000));
        Assert.Empty(Validate(_ => { }));
    }

    private static IReadOnlyList<string> Validate(Action<Dictionary<string, string?>> change)
    {
        var settings = TestConfiguration.Create();
        change(settings);
        var options = new McpGrainsOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(McpGrainsOptions.SectionName).Bind(options);
        var result = new McpGrainsOptionsValidator().Validate(null, options);
        return result.Failures?.ToArray() ?? [];
    }
}

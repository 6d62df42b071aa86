using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using McpGrains.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.FSharp.Core;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// The real <c>/oauth/callback</c>, over HTTP, fed random and mutated query strings (mutations of real callbacks
/// carrying a live <c>state</c>, forged ones, repeated and broken parameters, bad percent-encoding): never a 5xx, never
/// an unhandled exception. Bounded (a fixed number of requests, a fixed seed) so that it runs in every CI build.
/// </summary>
public sealed class CallbackFuzzTests(ProtectedUpstream upstream) : IClassFixture<ProtectedUpstream>, IAsyncLifetime
{
    private const int Requests = 400;
    private const int CallbackStateInvalidEvent = 3010;
    private const int CallbackCompletedEvent = 3012;

    /// <summary>Characters sent as they are; everything else is percent-encoded (as UTF-8) so that the request line stays valid.</summary>
    private const string SentRaw = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$'()*+,;=:@/?&%";

    private static readonly string[] Tokens =
    [
        "&", "=", "&&", "==", "%", "%0", "%00", "%ZZ", "%E2%82", "%ED%A0%80", "%C0%AF", "%FF", "+", "%2B", "%26", "%3D", "%0D%0A",
        "state=", "&state=", "code=", "&code=", "iss=", "&iss=", "error=", "&error=", "error_description=", "\ud800", "\0",
        new string('A', 3000), "javascript:alert(1)", "<script>", "..%2F..%2F",
    ];

    private RunningHost _host = null!;
    private string _state = null!;

    public async Task InitializeAsync()
    {
        _host = upstream.StartHost();
        using var client = _host.Client();
        using var authorize = await client.PostAsync("/api/v1/users/fuzz/connections/protected/authorize", null);
        var link = (await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationUrl").GetString()!;

        // A live state comes from the provider URL that Continue on the sign-in page redirects to.
        using var browser = new TestBrowser();
        var url = await browser.ContinueAsync(link, "fuzz");
        _state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query)["state"].Single()
            ?? throw new InvalidOperationException($"The authorization URL has no state: {url.GetLeftPart(UriPartial.Path)}");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Callback_RandomAndMutatedQueries_NeverAnswer5xx_NorThrow()
    {
        var issuer = Uri.EscapeDataString(upstream.AuthorizationServer.Issuer);
        string[] samples =
        [
            $"code=abc123&state={_state}&iss={issuer}",
            $"error=access_denied&error_description=The+user+said+no&state={_state}&iss={issuer}",
            $"state={_state}",
            $"code=abc&state={_state}&state={_state}",
            $"code=abc&state={_state[..(_state.Length / 2)]}&iss=https%3A%2F%2Fevil.example",
            "code=abc&state=forged",
            "",
        ];
        using var client = _host.Client(hostKey: null);
        var queries = FuzzGen.Input(samples, Tokens).Select(Encode).ToArbitrary();

        var property = Prop.ForAll(queries, query =>
        {
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseAddress, "/oauth/callback?" + query)));
            Assert.True((int)response.StatusCode < 500, $"/oauth/callback?{query} answered {(int)response.StatusCode}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Requests).WithReplay(FSharpOption<Replay>.Some(ReplayOf(FuzzGen.Replay))), property);

        // The inputs reached both sides: refused states, and live states that went on to the session grain.
        Assert.Contains(_host.Logs.Entries, entry => entry.EventId.Id == CallbackStateInvalidEvent);
        Assert.Contains(_host.Logs.Entries, entry => entry.EventId.Id == CallbackCompletedEvent);
        var failures = _host.Logs.Entries.Where(entry => entry.Level is LogLevel.Error or LogLevel.Critical).ToList();
        Assert.True(failures.Count == 0, "errors were logged:\n" + string.Join("\n", failures.Select(entry => $"{entry.Category}: {entry.Message} {entry.Exception}")));
    }

    private static string Encode(string query)
    {
        var encoded = new StringBuilder(query.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in query.EnumerateRunes())
        {
            if (rune.IsAscii && SentRaw.Contains((char)rune.Value, StringComparison.Ordinal))
            {
                encoded.Append((char)rune.Value);
                continue;
            }

            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static Replay ReplayOf(string seed)
    {
        var parts = seed.Trim('(', ')').Split(',');
        return new Replay(new Rnd(ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), ulong.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)), FSharpOption<int>.None);
    }
}

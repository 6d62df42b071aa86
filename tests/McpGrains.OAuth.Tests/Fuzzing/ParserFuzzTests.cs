using System.Net;
using FsCheck.Xunit;
using McpGrains.Testing;

namespace McpGrains.OAuth.Tests.Fuzzing;

/// <summary>
/// The parsers of what authorization servers and MCP servers send (untrusted), fed random and mutated inputs: each
/// returns a result or throws its documented exception, never anything else. Bounded (a fixed number of cases, a
/// fixed seed) so that they run in every CI build.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Cases = 3000;

    [Property(MaxTest = Cases, Replay = FuzzGen.Replay, Arbitrary = [typeof(OAuthFuzzArbitraries)])]
    public void WwwAuthenticate_HeaderValue_ParsesToABearerOrDpopChallengeOrNothing(FuzzText header)
    {
        var challenge = WwwAuthenticateChallenge.Parse(header.Value);

        // A Bearer challenge, or a DPoP one (RFC 9449 section 7.1) from a server that accepts bound tokens only.
        Assert.True(challenge is null || challenge.Scheme is "Bearer" or "DPoP");
    }

    [Property(MaxTest = Cases, Replay = FuzzGen.Replay, Arbitrary = [typeof(OAuthFuzzArbitraries)])]
    public void WwwAuthenticate_ResponseHeaders_ParseToABearerOrDpopChallengeOrNothing(FuzzText first, FuzzText second)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", [first.Value, second.Value]);

        var challenge = WwwAuthenticateChallenge.Parse(response.Headers);

        Assert.True(challenge is null || challenge.Scheme is "Bearer" or "DPoP");
    }

    [Property(MaxTest = Cases, Replay = FuzzGen.Replay, Arbitrary = [typeof(OAuthFuzzArbitraries)])]
    public void AuthorizationServerMetadata_ParsesOrThrowsDiscoveryFailed(FuzzBytes document)
    {
        try
        {
            var metadata = AuthorizationServerMetadata.Parse(document.Value);
            Assert.False(string.IsNullOrEmpty(metadata.Issuer));
        }
        catch (OAuthClientException ex)
        {
            Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        }
    }

    [Property(MaxTest = Cases, Replay = FuzzGen.Replay, Arbitrary = [typeof(OAuthFuzzArbitraries)])]
    public void ProtectedResourceMetadata_ParsesOrThrowsDiscoveryFailed(FuzzBytes document)
    {
        try
        {
            var metadata = ProtectedResourceMetadataReader.Parse(document.Value);
            Assert.False(string.IsNullOrEmpty(metadata.Resource));
        }
        catch (OAuthClientException ex)
        {
            Assert.Equal(SessionErrorCodes.DiscoveryFailed, ex.ErrorCode);
        }
    }

    [Property(MaxTest = Cases, Replay = FuzzGen.Replay, Arbitrary = [typeof(OAuthFuzzArbitraries)])]
    public void TokenResponse_IsTokensOrAnError_NeverAnException(FuzzBytes body, bool successStatus)
    {
        var result = TokenClient.ParseTokenResponse(body.Value, successStatus ? 200 : 400, successStatus);

        Assert.True(result.IsSuccess
            ? !string.IsNullOrEmpty(result.AccessToken) && result.ExpiresIn is null or { Ticks: >= 0 }
            : !string.IsNullOrEmpty(result.Error) && result.AccessToken is null);
    }
}

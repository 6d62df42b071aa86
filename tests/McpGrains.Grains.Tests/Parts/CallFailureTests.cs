using System.Net;
using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>What a failed upstream request means, from typed facts only (status codes, refusals, what the call did before).</summary>
public sealed class CallFailureTests
{
    /// <summary>A request that carried a user token on the current connection and met nothing yet.</summary>
    private static readonly CallFailure Fresh = new(
        DisconnectedMeanwhile: false,
        RefusalStatus: null,
        TokenSent: true,
        UsesSharedToken: false,
        TokenRefreshed: false,
        Reconnected: false,
        TokenReplacedMeanwhile: false,
        Status: null,
        ConnectionIsCurrent: true,
        AnsweredWithRpcError: false,
        HasUpstreamSession: true);

    [Fact]
    public void A_disconnect_while_in_flight_wins_over_anything_the_server_said() =>
        Assert.Equal(CallFailureAction.Disconnected, (Fresh with { DisconnectedMeanwhile = true, RefusalStatus = 401, Status = HttpStatusCode.Unauthorized }).Classify());

    [Fact]
    public void A_403_is_a_step_up_whatever_token_was_sent() =>
        Assert.Equal(CallFailureAction.StepUp, (Fresh with { RefusalStatus = 403, Status = HttpStatusCode.Forbidden, TokenSent = false }).Classify());

    [Fact]
    public void A_401_on_a_request_without_a_token_is_an_unexpected_challenge() =>
        Assert.Equal(CallFailureAction.UnexpectedChallenge, (Fresh with { RefusalStatus = 401, TokenSent = false, Status = HttpStatusCode.Unauthorized }).Classify());

    [Fact]
    public void The_first_401_on_the_current_token_refreshes_and_retries_then_a_second_one_requires_sign_in()
    {
        var refused = Fresh with { RefusalStatus = 401, Status = HttpStatusCode.Unauthorized };

        Assert.True(refused.TokenRejected);
        Assert.Equal(CallFailureAction.RefreshAndRetry, refused.Classify());
        Assert.Equal(CallFailureAction.Reauthorize, (refused with { TokenRefreshed = true }).Classify());
    }

    [Fact]
    public void A_401_on_a_token_another_call_replaced_meanwhile_retries_without_a_second_refresh() =>
        Assert.Equal(CallFailureAction.RetryWithCurrentToken, (Fresh with { RefusalStatus = 401, TokenReplacedMeanwhile = true }).Classify());

    [Fact]
    public void A_refused_shared_token_is_replaced_once_then_reported()
    {
        var refused = Fresh with { RefusalStatus = 401, UsesSharedToken = true, TokenReplacedMeanwhile = true };

        Assert.Equal(CallFailureAction.RetryWithNewSharedToken, refused.Classify());
        Assert.Equal(CallFailureAction.SharedTokenRefused, (refused with { TokenRefreshed = true }).Classify());
    }

    [Fact]
    public void A_transport_failure_on_a_connection_replaced_meanwhile_retries_once_on_the_new_one()
    {
        var replaced = Fresh with { ConnectionIsCurrent = false };

        Assert.Equal(CallFailureAction.RetryOnNewConnection, replaced.Classify());
        Assert.Equal(CallFailureAction.Broken, (replaced with { Reconnected = true }).Classify());
    }

    [Fact]
    public void A_404_with_an_upstream_session_starts_a_new_session_once_then_counts_as_refused()
    {
        var notFound = Fresh with { Status = HttpStatusCode.NotFound };

        Assert.Equal(CallFailureAction.RetryOnNewSession, notFound.Classify());
        Assert.Equal(CallFailureAction.Broken, (notFound with { Reconnected = true }).Classify());
        Assert.Equal(CallFailureAction.Broken, (notFound with { HasUpstreamSession = false }).Classify());
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    public void A_json_rpc_error_in_a_non_2xx_answer_is_relayed(HttpStatusCode status) =>
        Assert.Equal(CallFailureAction.RelayRpcError, (Fresh with { Status = status, AnsweredWithRpcError = true }).Classify());

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, nameof(CallFailureAction.Refused))]
    [InlineData(HttpStatusCode.Conflict, nameof(CallFailureAction.Refused))]
    [InlineData(HttpStatusCode.InternalServerError, nameof(CallFailureAction.Broken))]
    [InlineData(HttpStatusCode.BadGateway, nameof(CallFailureAction.Broken))]
    public void Other_statuses_are_a_refusal_below_500_and_a_broken_connection_from_500(HttpStatusCode status, string expected) =>
        Assert.Equal(Enum.Parse<CallFailureAction>(expected), (Fresh with { Status = status }).Classify());

    [Fact]
    public void A_transport_failure_on_the_current_connection_is_a_broken_connection() =>
        Assert.Equal(CallFailureAction.Broken, Fresh.Classify());
}

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Pages;

/// <summary>Every page a browser can meet at McpGrains, each saying what happened and what to do next.</summary>
public static class BrowserPages
{
    public const string ContinueAction = "continue";
    public const string CancelAction = "cancel";
    public const string SwitchAccountAction = "switch-account";

    private const string StartAgain = "Go back to the application and start the sign-in again.";

    /// <summary>The sign-in link's confirmation page: who asks, for which account, where the browser will go, until when.</summary>
    public static BrowserPage Confirmation(SignInConfirmation confirmation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var (hostApp, account, server, provider) = (confirmation.HostApp, confirmation.Account, confirmation.Server, confirmation.ProviderHost);
        List<KeyValuePair<string, string>> facts =
        [
            new("Application", hostApp),
            new("For the account", account),
            new("Server", server),
            new("Sign-in at", provider),
            new("Link expires", Expiry(confirmation.ExpiresAt, now)),
        ];
        if (confirmation.SignedInAs is { } signedInAs)
        {
            facts.Insert(2, new("You signed in as", signedInAs));
        }

        return new BrowserPage(
            StatusCodes.Status200OK,
            $"Connect your {server} account?",
            [$"{hostApp} asks to connect a {server} account for {account}. Continue takes you to {provider} to sign in."],
            facts,
            $"Continue only if you are {account} and you started this in {hostApp} yourself. If someone sent you this link, press Cancel: "
            + $"continuing would put your {server} account into their session.",
            new BrowserPageForm(confirmation.Action, confirmation.HiddenFields, "Continue", ContinueAction, "Cancel", CancelAction));
    }

    /// <summary>The callback's page after a sign-in; with <paramref name="connectionsPage"/>, a link to the user's connections page.</summary>
    public static BrowserPage Connected(string server, string hostApp, string? connectionsPage = null) => new(
        StatusCodes.Status200OK,
        $"Connected to {server}",
        [$"Your {server} account is connected to {hostApp}. You can close this window and return to {hostApp}."],
        link: connectionsPage is null ? null : new BrowserPageLink("See and manage your connections", connectionsPage));

    public static BrowserPage Cancelled() => new(
        StatusCodes.Status200OK,
        "Sign-in cancelled",
        ["Nothing was connected, and this sign-in link no longer works. You can close this window."]);

    public static BrowserPage InvalidLink() => new(
        StatusCodes.Status400BadRequest,
        "This sign-in link is invalid",
        ["The link is incomplete or was altered, or it was made by another McpGrains installation.", StartAgain]);

    public static BrowserPage ExpiredLink() => new(
        StatusCodes.Status410Gone,
        "This sign-in has expired",
        ["Sign-in links work for a few minutes only.", StartAgain]);

    public static BrowserPage FormExpired() => new(
        StatusCodes.Status400BadRequest,
        "This page has expired",
        ["The confirmation was not sent from the page McpGrains showed this browser (or that page is too old). Open the sign-in link again."]);

    /// <summary>A sign-in link that cannot be used (any outcome but <see cref="SignInOutcome.Ready"/>).</summary>
    public static BrowserPage Refused(SignInOutcome outcome) => outcome switch
    {
        SignInOutcome.ClaimedByAnotherBrowser => new(
            StatusCodes.Status409Conflict,
            "This sign-in was continued in another browser",
            [
                "Someone pressed Continue for this link in another browser first, so it can only be finished there.",
                "If that was not you, do not sign in anywhere: go back to the application and start again.",
            ]),
        SignInOutcome.Superseded => new(
            StatusCodes.Status410Gone,
            "This sign-in link was replaced by a newer one",
            ["The application asked for a new link since. Use the latest link it gave you."]),
        SignInOutcome.Expired => ExpiredLink(),
        _ => UsedLink(),
    };

    /// <summary>The callback's answer when the sign-in did not connect anything.</summary>
    public static BrowserPage NotConnected(SessionError? error)
    {
        var detail = error?.Message ?? "The sign-in did not complete.";
        return error?.Code switch
        {
            SessionErrorCodes.BrowserMismatch => new(
                StatusCodes.Status409Conflict,
                "This sign-in was started in another browser",
                [
                    "Only the browser where Continue was pressed on McpGrains' confirmation page can finish this sign-in, and this is not that browser.",
                    "If someone sent you this link, stop here: finishing it would connect your account to their session. Otherwise finish it in that browser, or start again from the application.",
                ]),
            SessionErrorCodes.NoPendingAuthorization => UsedLink(),
            SessionErrorCodes.InvalidState => Refused(SignInOutcome.Superseded),
            SessionErrorCodes.AuthorizationExpired => ExpiredLink(),
            SessionErrorCodes.AccessDenied => new(StatusCodes.Status400BadRequest, "Access was denied", [detail, StartAgain]),
            SessionErrorCodes.IssuerMismatch => new(StatusCodes.Status400BadRequest, "The sign-in answer came from an unexpected server", [detail, StartAgain]),
            SessionErrorCodes.AuthorizationServerError => new(StatusCodes.Status400BadRequest, "The provider refused the sign-in", [detail, StartAgain]),
            _ => new(StatusCodes.Status502BadGateway, "Connecting failed", [detail, StartAgain]),
        };
    }

    /// <summary>Binding mode oidc: the organization's sign-in shows someone other than the person the link was made for.</summary>
    public static BrowserPage IdentityMismatch(string hostApp, string signedInAs, string? expected, BrowserPageForm switchAccount) => new(
        StatusCodes.Status403Forbidden,
        "This sign-in is for someone else",
        [
            expected is null
                ? $"You signed in as {signedInAs}, but {hostApp} started this sign-in for someone else. Only that person can continue it."
                : $"You signed in as {signedInAs}, but {hostApp} started this sign-in for {expected}. Only {expected} can continue it.",
            "If someone sent you this link, close this window: nothing was connected. If you have another account, use it.",
        ],
        form: switchAccount);

    /// <summary>Binding mode oidc: the organization's sign-in failed or was refused.</summary>
    public static BrowserPage OrganizationSignInFailed(string hostApp) => new(
        StatusCodes.Status400BadRequest,
        "Signing in to your organization failed",
        [$"{hostApp} requires you to sign in with your organization's account before connecting, and that sign-in did not complete. Nothing was connected.", "Open the sign-in link again to retry."]);

    /// <summary>Binding mode host-verification, when the host app no longer names a verification URL.</summary>
    public static BrowserPage VerificationUnavailable(string hostApp) => new(
        StatusCodes.Status409Conflict,
        "The application must confirm this sign-in",
        [$"You signed in, but {hostApp} has to confirm that this sign-in is yours before your account is connected, and it cannot be reached for that now. Nothing was connected.", StartAgain]);

    private static BrowserPage UsedLink() => new(
        StatusCodes.Status410Gone,
        "This sign-in link was already used",
        ["It was completed, cancelled or failed already. If you still need to connect, start again from the application."]);

    private static string Expiry(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((expiresAt - now).TotalMinutes));
        var at = expiresAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        return minutes == 1 ? $"in 1 minute (at {at} UTC)" : $"in {minutes} minutes (at {at} UTC)";
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Pages;

/// <summary>The connections page and the pages that say why it cannot be shown.</summary>
public static class PortalPages
{
    public const string ConnectAction = "connect";
    public const string DisconnectAction = "disconnect";
    public const string ServerField = "server";

    private const string AskAgain = "Open the connections page again from the application: it gives you a new link.";

    /// <summary>One server as the page shows it.</summary>
    public sealed record Entry(string ServerId, string DisplayName, ConnectionInfo Connection);

    public static BrowserPage Connections(
        string hostApp, string account, IReadOnlyList<Entry> entries, string action, KeyValuePair<string, string> antiforgery, DateTimeOffset until) => new(
        StatusCodes.Status200OK,
        "Your connections",
        [
            $"The accounts McpGrains holds for {account} in {hostApp}. Disconnect signs McpGrains out of that account at its provider and forgets it; Connect signs in again.",
        ],
        sections: [.. entries.Select(entry => Section(entry, action, antiforgery))],
        warning: $"This page works in this browser only, until {Time(until)}.");

    private static BrowserPageSection Section(Entry entry, string action, KeyValuePair<string, string> antiforgery)
    {
        var connection = entry.Connection;
        var facts = new List<KeyValuePair<string, string>>
        {
            new("Status", connection.Status.ToWireName()),
            new("Granted scopes", connection.GrantedScopes is { Count: > 0 } scopes ? string.Join(' ', scopes) : "none"),
            new("Last refresh", connection.UpdatedAt is { } updated && connection.Status != ConnectionStatus.NotConnected ? Time(updated) : "never"),
        };
        if (connection.LastError is { } error)
        {
            facts.Add(new("Last error", $"{error.Code}: {error.Message}"));
        }

        var fields = new KeyValuePair<string, string>[] { antiforgery, new(ServerField, entry.ServerId) };
        var form = connection.Status switch
        {
            ConnectionStatus.Connected => new BrowserPageForm(action, fields, "Disconnect", DisconnectAction),
            ConnectionStatus.NotConnected => new BrowserPageForm(action, fields, "Connect", ConnectAction),
            _ => new BrowserPageForm(action, fields, "Connect", ConnectAction, "Disconnect", DisconnectAction),
        };
        return new BrowserPageSection(entry.DisplayName, facts, form);
    }

    public static BrowserPage InvalidLink() => new(
        StatusCodes.Status400BadRequest,
        "This link is invalid",
        ["The link is incomplete or was altered, or it was made by another McpGrains installation.", AskAgain]);

    public static BrowserPage Refused(PortalOutcome outcome) => outcome switch
    {
        PortalOutcome.Expired => new(
            StatusCodes.Status410Gone,
            "This link has expired",
            ["Links to the connections page work for a few minutes, and the page itself for a short while after.", AskAgain]),
        PortalOutcome.Used => new(
            StatusCodes.Status410Gone,
            "This link was already used",
            ["A link to the connections page opens once, in one browser, and the page works in that browser only.", AskAgain]),
        _ => InvalidLink(),
    };

    public static BrowserPage NotOpen() => new(
        StatusCodes.Status403Forbidden,
        "No connections page is open in this browser",
        [AskAgain]);

    public static BrowserPage FormExpired() => new(
        StatusCodes.Status400BadRequest,
        "This page has expired",
        ["The form was not sent from the page McpGrains showed this browser (or that page is too old). Reload the connections page and try again."]);

    public static BrowserPage ConnectFailed(string server, SessionError? error) => new(
        StatusCodes.Status502BadGateway,
        $"Connecting to {server} failed",
        [error?.Message ?? "The sign-in could not be started.", "Reload the connections page and try again later."]);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}

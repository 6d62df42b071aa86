namespace McpGrains.Gateway.Pages;

/// <summary>
/// The one form a page may carry: posted to <see cref="Action"/> with its hidden fields (the anti-forgery token) and
/// the <c>action</c> value of the button pressed. The primary button comes first, so Enter submits it.
/// </summary>
public sealed record BrowserPageForm(
    string Action,
    IReadOnlyList<KeyValuePair<string, string>> HiddenFields,
    string PrimaryLabel,
    string PrimaryValue,
    string? SecondaryLabel = null,
    string? SecondaryValue = null);

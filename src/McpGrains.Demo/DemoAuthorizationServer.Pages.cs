using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Demo;

/// <summary>
/// The pages of the demo authorization endpoint: sign in (type or pick a name), then consent (Allow or Deny), then
/// back to the client with a code or <c>access_denied</c>. The pending request lives in memory under an unguessable
/// id carried by the forms.
/// </summary>
public sealed partial class DemoAuthorizationServer
{
    private const int MaxUserNameLength = 40;

    private IResult ShowSignIn(HttpRequest request)
    {
        var query = request.Query;
        var (clientId, redirectUri) = (query["client_id"].ToString(), query["redirect_uri"].ToString());
        if (!tokens.IsRedirectUriOf(clientId, redirectUri))
        {
            return DemoPage.Error("The client is not registered here, or the redirect URI is not one it registered.");
        }

        var state = query["state"].Count == 1 ? query["state"][0] : null;
        if (query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
        {
            return Back(redirectUri, state, ("error", "invalid_request"));
        }

        var scope = string.IsNullOrWhiteSpace(query["scope"]) ? DemoMcpServer.Scope : query["scope"].ToString();
        var id = tokens.Hold(new DemoAuthorizationRequest(clientId, redirectUri, state, query["code_challenge"]!, scope, query["resource"]));
        var input = "<label for=\"user\">Your name</label>\n"
            + "<input type=\"text\" id=\"user\" name=\"user\" list=\"demo-users\" autocomplete=\"off\" required maxlength=\"40\" autofocus>\n"
            + "<datalist id=\"demo-users\"><option value=\"alice\"><option value=\"bob\"></datalist>\n";
        return new DemoPage(
            StatusCodes.Status200OK,
            "Sign in",
            ["This is the demo's authorization server. There are no passwords: type any name (or pick alice or bob) and it becomes the account the demo MCP server's whoami tool reports."],
            DemoPage.Form(AuthorizePath + "/sign-in", [("request", id)], input, ("sign-in", "Sign in", true)));
    }

    private async Task<IResult> SignInAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var id = form["request"].ToString();
        var user = form["user"].ToString().Trim();
        if (tokens.Held(id) is not { } held)
        {
            return DemoPage.Error("This sign-in request is unknown or was finished already. Start again from the application.");
        }

        if (user.Length is 0 or > MaxUserNameLength || user.Any(char.IsControl))
        {
            return DemoPage.Error($"A name is 1 to {MaxUserNameLength} characters. Go back and type another.");
        }

        tokens.SignIn(id, user);
        var returnsTo = new Uri(held.RedirectUri).GetLeftPart(UriPartial.Authority);
        var details = "<ul>\n<li>Application: <strong>" + DemoPage.Html.Encode(held.ClientId) + "</strong></li>\n"
            + "<li>Permissions: <strong>" + DemoPage.Html.Encode(held.Scope) + "</strong></li>\n"
            + "<li>Returns you to: <strong>" + DemoPage.Html.Encode(returnsTo) + "</strong></li>\n</ul>\n";
        return new DemoPage(
            StatusCodes.Status200OK,
            $"Allow access to {user}'s account?",
            [$"Signed in as {user}. An application asks to use the Demo MCP server on your behalf."],
            DemoPage.Form(AuthorizePath + "/consent", [("request", id)], details, ("allow", "Allow", true), ("deny", "Deny", false)));
    }

    private async Task<IResult> ConsentAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (tokens.Release(form["request"]) is not { UserName: { } user } held)
        {
            return DemoPage.Error("This sign-in request is unknown or was finished already. Start again from the application.");
        }

        return form["decision"] == "allow"
            ? Back(held.RedirectUri, held.State, ("code", tokens.IssueCode(new DemoGrant(user, held))))
            : Back(held.RedirectUri, held.State, ("error", "access_denied"));
    }

    /// <summary>A 303 back to the client's redirect URI with the answer, the state and the issuer (RFC 9207).</summary>
    private IResult Back(string redirectUri, string? state, (string Name, string Value) answer)
    {
        var parameters = new Dictionary<string, string?> { [answer.Name] = answer.Value, ["iss"] = Issuer };
        if (state is not null)
        {
            parameters["state"] = state;
        }

        return new SeeOther(QueryHelpers.AddQueryString(redirectUri, parameters));
    }

    /// <summary>303 See Other: after a form POST the browser follows with GET.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

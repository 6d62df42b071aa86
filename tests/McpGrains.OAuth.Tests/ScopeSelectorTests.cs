using ModelContextProtocol.Authentication;
using Xunit;

namespace McpGrains.OAuth.Tests;

public sealed class ScopeSelectorTests
{
    private static readonly ProtectedResourceMetadata Prm = new() { Resource = "https://mcp.example.com/mcp", ScopesSupported = ["files:read", "files:write"] };
    private static readonly AuthorizationServerMetadata AsWithOffline = new() { Issuer = "https://as.example.com", ScopesSupported = ["files:read", "offline_access"] };
    private static readonly AuthorizationServerMetadata AsWithoutOffline = new() { Issuer = "https://as.example.com", ScopesSupported = ["files:read"] };

    [Fact]
    public void Select_ConfiguredScopesWin()
    {
        var scopes = ScopeSelector.Select(["admin"], "files:read", Prm, AsWithoutOffline);

        Assert.Equal(["admin"], scopes);
    }

    [Fact]
    public void Select_ChallengeScopeBeatsPrmScopes()
    {
        var scopes = ScopeSelector.Select(null, "files:read  tools:call", Prm, AsWithoutOffline);

        Assert.Equal(["files:read", "tools:call"], scopes);
    }

    [Fact]
    public void Select_EmptyConfiguredList_FallsBackToChallenge()
    {
        Assert.Equal(["x"], ScopeSelector.Select([], "x", Prm, null));
    }

    [Fact]
    public void Select_NoChallengeScope_UsesAllPrmScopesSupported()
    {
        Assert.Equal(["files:read", "files:write"], ScopeSelector.Select(null, null, Prm, null));
    }

    [Fact]
    public void Select_NothingDefined_IsEmpty()
    {
        Assert.Empty(ScopeSelector.Select(null, null, null, AsWithoutOffline));
    }

    [Fact]
    public void Select_AsListsOfflineAccess_AppendsIt()
    {
        Assert.Equal(["files:read", "files:write", "offline_access"], ScopeSelector.Select(null, null, Prm, AsWithOffline));
    }

    [Fact]
    public void Select_AsListsOfflineAccess_EvenWhenOtherwiseEmpty()
    {
        Assert.Equal(["offline_access"], ScopeSelector.Select(null, null, null, AsWithOffline));
    }

    [Fact]
    public void Select_AsDoesNotListOfflineAccess_DoesNotAddIt()
    {
        Assert.DoesNotContain("offline_access", ScopeSelector.Select(null, "a", Prm, AsWithoutOffline));
        Assert.DoesNotContain("offline_access", ScopeSelector.Select(null, "a", Prm, null));
    }

    [Fact]
    public void Select_OfflineAccessAlreadyPresent_IsNotDuplicated_AndDuplicatesRemovedInOrder()
    {
        var scopes = ScopeSelector.Select(null, "b offline_access a b", null, AsWithOffline);

        Assert.Equal(["b", "offline_access", "a"], scopes);
    }

    [Fact]
    public void Union_GrantedThenNewChallengeScopes_InOrderWithoutDuplicates()
    {
        var scopes = ScopeSelector.Union(["mcp:basic", "offline_access"], "mcp:write  mcp:basic mcp:write");

        Assert.Equal(["mcp:basic", "offline_access", "mcp:write"], scopes);
    }

    [Fact]
    public void Union_NoChallengeScope_IsGrantedDeduplicated()
    {
        Assert.Equal(["a", "b"], ScopeSelector.Union(["a", "b", "a"], null));
        Assert.Equal(["a"], ScopeSelector.Union(["a"], "   "));
    }

    [Fact]
    public void Union_NothingGranted_IsChallengeScopes()
    {
        Assert.Equal(["x", "y"], ScopeSelector.Union([], "x y"));
    }

    [Fact]
    public void Union_GrantedEntriesWithSpaces_AreSplit()
    {
        Assert.Equal(["a", "b", "c"], ScopeSelector.Union(["a b"], "b c"));
    }

    [Fact]
    public void Union_ComparisonIsCaseSensitive()
    {
        Assert.Equal(["Read", "read"], ScopeSelector.Union(["Read"], "read"));
    }
}

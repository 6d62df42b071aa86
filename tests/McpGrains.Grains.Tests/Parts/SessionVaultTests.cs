using McpGrains.Security;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>The data-key vault with the real key ring and AES-GCM protector, over in-memory stores.</summary>
public sealed class SessionVaultTests
{
    private const string Context = "session:host/alice/files:access_token";

    [Fact]
    public async Task EnsureKeyAsync_StoresTheDataKeyWrappedOnce_AndSecretsRoundTrip()
    {
        using var harness = SessionHarness.Create();
        var vault = harness.Parts.Vault;

        await vault.EnsureKeyAsync(CancellationToken.None);
        await vault.EnsureKeyAsync(CancellationToken.None);
        var ciphertext = vault.Protect("the-token", Context);

        Assert.Equal(1, harness.DataKey.Writes);
        Assert.NotNull(harness.DataKey.State.WrappedKey);
        Assert.Equal(harness.KeyRing.ActiveKeyId, harness.Protector.GetKeyId(harness.DataKey.State.WrappedKey!));
        Assert.Equal("the-token", vault.Reveal(ciphertext, Context));
    }

    [Fact]
    public async Task Reveal_InAnotherContext_IsSecretUnreadable()
    {
        using var harness = SessionHarness.Create();
        await harness.Parts.Vault.EnsureKeyAsync(CancellationToken.None);
        var ciphertext = harness.Parts.Vault.Protect("the-token", Context);

        Assert.Throws<SecretUnreadableException>(() => harness.Parts.Vault.Reveal(ciphertext, "session:host/bob/files:access_token"));
    }

    [Fact]
    public async Task LoadAsync_ANewActivationReadsWhatTheLastOneWrote()
    {
        using var harness = SessionHarness.Create();
        await harness.Parts.Vault.EnsureKeyAsync(CancellationToken.None);
        var ciphertext = harness.Parts.Vault.Protect("the-token", Context);

        var vault = harness.Reactivate().Vault;
        await vault.LoadAsync(CancellationToken.None);

        Assert.Equal("the-token", vault.Reveal(ciphertext, Context));
        Assert.False(vault.RewrappedOnActivation);
    }

    [Fact]
    public async Task LoadAsync_AfterAKeyRotation_RewrapsTheDataKeyUnderTheActiveKey()
    {
        var keys = SessionHarness.NewKeys("old", "new");
        using var before = SessionHarness.Create(keyRing: new KeyRing(keys, "old"));
        await before.Parts.Vault.EnsureKeyAsync(CancellationToken.None);
        var ciphertext = before.Parts.Vault.Protect("the-token", Context);

        // The same master keys, with the new one active.
        var rotated = new KeyRing(keys, "new");
        using var after = SessionHarness.Create(keyRing: rotated);
        after.DataKey.State.WrappedKey = before.DataKey.State.WrappedKey;
        await after.Parts.Vault.LoadAsync(CancellationToken.None);

        Assert.True(after.Parts.Vault.RewrappedOnActivation);
        Assert.Equal("new", after.Protector.GetKeyId(after.DataKey.State.WrappedKey!));
        Assert.Equal(1, after.DataKey.Writes);
        Assert.Equal("the-token", after.Parts.Vault.Reveal(ciphertext, Context));
    }

    [Fact]
    public async Task LoadAsync_AKeyThisNodeCannotUnwrap_LeavesTheVaultUnreadableAndNeverReplacesIt()
    {
        using var before = SessionHarness.Create();
        await before.Parts.Vault.EnsureKeyAsync(CancellationToken.None);
        using var stranger = SessionHarness.Create();
        stranger.DataKey.State.WrappedKey = before.DataKey.State.WrappedKey;

        await stranger.Parts.Vault.LoadAsync(CancellationToken.None);

        Assert.True(stranger.Parts.Vault.Unreadable);
        await Assert.ThrowsAsync<SecretUnreadableException>(() => stranger.Parts.Vault.EnsureKeyAsync(CancellationToken.None));
        Assert.Throws<SecretUnreadableException>(() => stranger.Parts.Vault.Protect("x", Context));
        Assert.Equal(0, stranger.DataKey.Writes);
        Assert.Same(before.DataKey.State.WrappedKey, stranger.DataKey.State.WrappedKey);
    }

    [Fact]
    public async Task DestroyAsync_ForgetsTheKey_WhatItEncryptedIsGone()
    {
        using var harness = SessionHarness.Create();
        await harness.Parts.Vault.EnsureKeyAsync(CancellationToken.None);
        var ciphertext = harness.Parts.Vault.Protect("the-token", Context);

        await harness.Parts.Vault.DestroyAsync(CancellationToken.None);
        await harness.Parts.Vault.EnsureKeyAsync(CancellationToken.None);

        Assert.Equal(1, harness.DataKey.Clears);
        Assert.Throws<SecretUnreadableException>(() => harness.Parts.Vault.Reveal(ciphertext, Context));
    }

    [Fact]
    public async Task GetOrCreateDpopKey_IsStoredEncryptedInTheSessionState_AndTheSameAfterReactivation()
    {
        using var harness = SessionHarness.Create();
        await harness.Parts.Vault.EnsureKeyAsync(CancellationToken.None);

        var thumbprint = harness.Parts.Vault.GetOrCreateDpopKey().Thumbprint;
        var stored = harness.State.State.ProtectedDpopKey;
        var again = harness.Reactivate().Vault;
        await again.LoadAsync(CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(thumbprint, again.GetOrCreateDpopKey().Thumbprint);
        Assert.Null(again.DpopKeyFor(new Sessions.TokenSet()));
        Assert.Equal(thumbprint, again.DpopKeyFor(new Sessions.TokenSet { TokenType = OAuth.TokenClient.DpopTokenType })!.Thumbprint);
    }
}

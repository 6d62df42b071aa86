namespace McpGrains;

/// <summary>
/// Stored secrets (a connection's data key, a token, a verifier, a client secret) could not be decrypted with this
/// node's key ring: the keys differ from those the data was written under, or the stored value was damaged. A
/// misconfiguration, not an expected outcome: the front end answers it with <c>code: secret_unreadable</c>. Carries no
/// secret and no key material.
/// </summary>
[GenerateSerializer, Alias("McpGrains.SecretUnreadableException")]
public sealed class SecretUnreadableException : Exception
{
    public const string Code = "secret_unreadable";
    public const string DefaultMessage = "Stored secrets cannot be decrypted with this node's keys; check McpGrains:Security:Keys.";

    public SecretUnreadableException()
        : base(DefaultMessage)
    {
    }

    public SecretUnreadableException(string message)
        : base(message)
    {
    }

    public SecretUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

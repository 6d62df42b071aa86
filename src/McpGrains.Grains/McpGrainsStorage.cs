namespace McpGrains.Grains;

/// <summary>The grain storage provider every McpGrains grain persists to.</summary>
public static class McpGrainsStorage
{
    public const string Name = "mcpgrains";

    /// <summary>
    /// Where per-connection data keys live, apart from the state they encrypt, so that deleting a connection's key
    /// makes its old ciphertext unrecoverable (crypto-shredding).
    /// </summary>
    public const string KeysName = "mcpgrains-keys";
}

using System.ComponentModel;
using System.Globalization;

namespace McpGrains.Configuration;

/// <summary>Reads the string shape of <see cref="ConfiguredScopes"/>.</summary>
public sealed class ConfiguredScopesConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? new ConfiguredScopes { text } : base.ConvertFrom(context, culture, value);
}

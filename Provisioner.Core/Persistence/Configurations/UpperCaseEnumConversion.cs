using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Persistence.Configurations;

/// <summary>Enums stored as the upper-case names the API shows (PROVISIONING, AWS), so SQL and API read alike.</summary>
internal static class UpperCaseEnumConversion
{
    public static PropertyBuilder<TEnum> AsUpperCaseText<TEnum>(this PropertyBuilder<TEnum> property, int maxLength = 16)
        where TEnum : struct, Enum =>
        property.HasConversion(v => v.ToString().ToUpperInvariant(), s => Enum.Parse<TEnum>(s, true)).HasMaxLength(maxLength);

    public static PropertyBuilder<TEnum?> AsUpperCaseText<TEnum>(this PropertyBuilder<TEnum?> property, int maxLength = 16)
        where TEnum : struct, Enum =>
        property.HasConversion(
            v => v.HasValue ? v.Value.ToString().ToUpperInvariant() : null,
            s => s == null ? null : Enum.Parse<TEnum>(s, true)).HasMaxLength(maxLength);
}

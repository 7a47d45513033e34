using System.Text;

namespace Stackvault.Components.Grafana;

/// <summary>Binding .NET values to statement parameters and reading a result row back as .NET values.</summary>
internal static unsafe class SqliteParameters
{
    public static int Bind(SqliteStatementHandle statement, int index, object? value)
    {
        switch (value)
        {
            case null:
                return SqliteNative.BindNull(statement, index);
            case long or int or short or byte or uint or bool:
                return SqliteNative.BindInt64(statement, index, value is bool b ? (b ? 1 : 0) : Convert.ToInt64(value, null));
            case double or float:
                return SqliteNative.BindDouble(statement, index, Convert.ToDouble(value, null));
            case string text:
                // One spare byte: a NULL pointer would bind SQL NULL instead of an empty string or blob.
                byte[] utf8 = new byte[Encoding.UTF8.GetByteCount(text) + 1];
                int length = Encoding.UTF8.GetBytes(text, utf8);
                fixed (byte* p = utf8)
                {
                    return SqliteNative.BindText(statement, index, p, length, SqliteNative.Transient);
                }

            case byte[] blob:
                byte spare = 0;
                fixed (byte* p = blob)
                {
                    return SqliteNative.BindBlob(statement, index, blob.Length == 0 ? &spare : p, blob.Length, SqliteNative.Transient);
                }

            default:
                throw new ArgumentException($"cannot bind a {value.GetType().Name} to an SQLite parameter", nameof(value));
        }
    }

    public static object?[] ReadRow(SqliteStatementHandle statement)
    {
        var row = new object?[SqliteNative.ColumnCount(statement)];
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = SqliteNative.ColumnType(statement, i) switch
            {
                SqliteNative.TypeInteger => SqliteNative.ColumnInt64(statement, i),
                SqliteNative.TypeFloat => SqliteNative.ColumnDouble(statement, i),
                SqliteNative.TypeText => ReadText(statement, i),
                SqliteNative.TypeBlob => ReadBlob(statement, i),
                _ => null,
            };
        }

        return row;
    }

    // The pointer comes first, then the length (the order sqlite3.h recommends); both are valid until the next step.
    private static string ReadText(SqliteStatementHandle statement, int column)
    {
        byte* text = SqliteNative.ColumnText(statement, column);
        int bytes = SqliteNative.ColumnBytes(statement, column);
        return text == null ? string.Empty : Encoding.UTF8.GetString(text, bytes);
    }

    private static byte[] ReadBlob(SqliteStatementHandle statement, int column)
    {
        byte* blob = SqliteNative.ColumnBlob(statement, column);
        int bytes = SqliteNative.ColumnBytes(statement, column);
        return blob == null ? [] : new ReadOnlySpan<byte>(blob, bytes).ToArray();
    }
}

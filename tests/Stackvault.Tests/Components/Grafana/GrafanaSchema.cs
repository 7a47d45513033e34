using Stackvault.Components.Grafana;

namespace Stackvault.Tests.Components.Grafana;

/// <summary>Builds small Grafana-shaped SQLite databases for the tests (the real column sets are larger).</summary>
internal static class GrafanaSchema
{
    /// <summary>Grafana 9 shape: folders are dashboard rows with is_folder = 1; no folder or api_key table.</summary>
    public static void CreateGrafana9(string path, string journalMode = "DELETE")
    {
        using var db = new SqliteConnection(path, SqliteOpenMode.ReadWriteCreate);
        db.Execute($"PRAGMA journal_mode = {journalMode}");
        db.Execute("""
            CREATE TABLE dashboard(id INTEGER PRIMARY KEY, uid TEXT, title TEXT, data TEXT, is_folder INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE data_source(id INTEGER PRIMARY KEY, name TEXT, type TEXT, secure_json_data TEXT);
            CREATE TABLE alert_rule(id INTEGER PRIMARY KEY, uid TEXT, title TEXT);
            CREATE TABLE "user"(id INTEGER PRIMARY KEY, login TEXT);
            CREATE TABLE org(id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE migration_log(id INTEGER PRIMARY KEY, migration_id TEXT);
            BEGIN;
            INSERT INTO dashboard(uid, title, data, is_folder) VALUES ('d1', 'Node', '{}', 0), ('d2', 'Loki', '{}', 0), ('d3', 'Tempo', '{}', 0);
            INSERT INTO dashboard(uid, title, data, is_folder) VALUES ('f1', 'Infra', '{}', 1), ('f2', 'Apps', '{}', 1);
            INSERT INTO data_source(name, type, secure_json_data) VALUES ('prom', 'prometheus', 'enc:xyz'), ('loki', 'loki', NULL);
            INSERT INTO alert_rule(uid, title) VALUES ('a1', 'HighCPU');
            INSERT INTO "user"(login) VALUES ('admin'), ('viewer'), ('editor'), ('sa-1');
            INSERT INTO org(name) VALUES ('Main Org.');
            INSERT INTO migration_log(migration_id) VALUES ('create dashboard table');
            COMMIT;
            """);
    }

    /// <summary>Grafana 11 shape: adds the folder and api_key tables.</summary>
    public static void CreateGrafana11(string path, string journalMode = "DELETE")
    {
        CreateGrafana9(path, journalMode);
        using var db = new SqliteConnection(path, SqliteOpenMode.ReadWrite);
        db.Execute("""
            CREATE TABLE folder(id INTEGER PRIMARY KEY, uid TEXT, title TEXT, parent_uid TEXT);
            CREATE TABLE api_key(id INTEGER PRIMARY KEY, name TEXT, "key" TEXT);
            INSERT INTO folder(uid, title) VALUES ('f1', 'Infra'), ('f2', 'Apps'), ('f3', 'Nested');
            INSERT INTO api_key(name, "key") VALUES ('ci', 'glsa_0123');
            """);
    }
}

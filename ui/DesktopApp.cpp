#include "DesktopApp.h"

#include "api/ApiServer.h"
#include "relay/DeliveryQueue.h"
#include "api/ApiThread.h"
#include "rules/RuleEngine.h"
#include "rules/RuleParser.h"

#include "ConfigFile.h"
#include "DesktopSettings.h"
#include "HtmlPreview.h"
#include "Icons.h"
#include "MainWindow.h"
#include "Options.h"
#include "RulesPanel.h"
#include "ServerStatusBar.h"
#include "server/SmtpService.h"

#include <QApplication>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>

int runDesktop(int &argc, char **argv, const AppOptions &options, const QStringList &configProblems)
{
    prepareHtmlPreviewProcess();
    QApplication app(argc, argv);
    QApplication::setWindowIcon(Icons::app());
    QGuiApplication::setDesktopFileName(QStringLiteral("smtpeek"));

    QString error;
    const StoreOptions storeChoice = storeOptions(options);
    std::unique_ptr<MessageStore> store = openStore(storeChoice, &error);
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("smtpeek"),
                              QObject::tr("Cannot open the message store: %1").arg(error));
        return 1;
    }
    SmtpService service(store.get());
    const std::shared_ptr<RuleEngine> rules = ruleEngine(options.rules);
    QStringList problems = configProblems;
    QString rulesFile = options.rules.file;
    if (rulesFile.isEmpty()) { // the panel's own file, read if the user made one
        rulesFile = defaultRulesPath();
        if (QFileInfo::exists(rulesFile)) {
            const ParsedRules parsed = readRulesFile(rulesFile);
            problems += parsed.errors;
            rules->setRules(parsed.rules);
            if (!options.rules.seed)
                rules->setSeed(parsed.seed);
        }
    }
    service.setStageHooks(rules);
    const DesktopSettings settings = DesktopSettings::fromOptions(options);
    MainWindow window(store.get(), &service, settings, options.limits);
    // Always there, so that a relay set in Settings works at once.
    auto relay = std::make_unique<DeliveryQueue>(store.get(), options.relay);
    relay->start();
    window.setRelay(relay.get());
    QObject::connect(&window, &MainWindow::settingsEdited, &window,
                     [&window, relay = relay.get(), path = options.configPath](
                         const DesktopSettings &before, const DesktopSettings &after) {
                         relay->reconfigure(after.relay);
                         QString saveError;
                         if (!saveSettingsChanges(path, before, after, &saveError))
                             window.showError(QObject::tr("Settings not saved: %1").arg(saveError));
                     });
    auto *rulesPanel = new RulesPanel(rules.get(), rulesFile, &window);
    window.serverMenu()->addAction(rulesPanel->showAction());
    // The automation API is an extra: if its port is taken the window still captures mail.
    QString apiError;
    ApiThread api;
    if (!api.start(options.api,
                   {store.get(), &service, rules.get(), databaseFile(storeChoice), relay.get()},
                   &apiError) &&
        options.api.enabled)
        window.showError(QObject::tr("The automation API is off: %1").arg(apiError));
    else if (!problems.isEmpty())
        window.showWarning(
            QObject::tr("Settings skipped: %1").arg(problems.join(QStringLiteral("; "))));
    api.connectWebhookFailures(&window, [&window](const QString &message) {
        window.serverStatus()->showMessage(message, 10000);
    });
    window.show();
    window.loadStoredMail();
    if (settings.startOnLaunch)
        window.startServer();
    const int exitCode = QApplication::exec();
    service.stop(); // the API takes session events in the server's thread: they end first
    relay.reset();  // connections in progress are dropped; their deliveries stay pending
    store->flush();
    return exitCode;
}

#pragma once

#include "records/DeliveryRecord.h"
#include "relay/RelaySettings.h"

#include <QJsonObject>

// smtpeek's own: a delivery upstream with each attempt, its recipients' replies and its
// transcript (in the sessions' format).
QJsonObject deliveryJson(const DeliveryRecord &delivery);

// Mailpit's "MessageRelay" of /api/v1/webui.
QJsonObject messageRelayJson(const RelaySettings &settings);

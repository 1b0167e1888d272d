#include "Icons.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>

#include <functional>

namespace {
QPixmap paintedPixmap(int size, const std::function<void(QPainter &, qreal)> &paint)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    paint(painter, size);
    return pixmap;
}

QIcon paintedIcon(const std::function<void(QPainter &, qreal)> &paint)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48})
        icon.addPixmap(paintedPixmap(size, paint));
    return icon;
}
} // namespace

namespace Icons {

QIcon app()
{
    return QIcon(QStringLiteral(":/smtpeek/smtpeek.png"));
}

QIcon attachment()
{
    static const QIcon icon = paintedIcon([](QPainter &p, qreal s) {
        // A paper clip: two nested rounded loops, slanted.
        p.translate(s / 2, s / 2);
        p.rotate(40);
        p.translate(-s / 2, -s / 2);
        QPen pen(QColor(0x55, 0x5f, 0x6d), qMax(1.2, s / 14));
        pen.setCapStyle(Qt::RoundCap);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        QPainterPath clip;
        const qreal w = s * 0.32;
        const qreal x = (s - w) / 2;
        clip.moveTo(x + w * 0.72, s * 0.30);
        clip.lineTo(x + w * 0.72, s * 0.72);
        clip.arcTo(QRectF(x + w * 0.28, s * 0.60, w * 0.44, w * 0.6), 0, -180);
        clip.lineTo(x + w * 0.28, s * 0.20);
        clip.arcTo(QRectF(x, s * 0.08, w, w * 0.9), 180, -180);
        clip.lineTo(x + w, s * 0.78);
        clip.arcTo(QRectF(x, s * 0.70, w, w * 0.7), 0, -180);
        clip.lineTo(x, s * 0.36);
        p.drawPath(clip);
    });
    return icon;
}

QIcon warning()
{
    return qApp->style()->standardIcon(QStyle::SP_MessageBoxWarning);
}
QIcon error()
{
    return qApp->style()->standardIcon(QStyle::SP_MessageBoxCritical);
}

QIcon start()
{
    static const QIcon icon = paintedIcon([](QPainter &p, qreal s) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x2e, 0x7d, 0x32));
        const QPointF triangle[] = {
            {s * 0.25, s * 0.15}, {s * 0.85, s * 0.5}, {s * 0.25, s * 0.85}};
        p.drawPolygon(triangle, 3);
    });
    return icon;
}

QIcon stop()
{
    static const QIcon icon = paintedIcon([](QPainter &p, qreal s) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xc6, 0x28, 0x28));
        p.drawRoundedRect(QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.6), s * 0.08, s * 0.08);
    });
    return icon;
}

QIcon withUnreadBadge(int unread)
{
    if (unread <= 0)
        return app();
    const QString text = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap = app().pixmap(size, size);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        QFont font = p.font();
        font.setBold(true);
        font.setPixelSize(qMax(7, int(size * (text.size() > 2 ? 0.36 : 0.48))));
        p.setFont(font);
        const qreal badgeHeight = size * 0.58;
        const qreal badgeWidth =
            qMax(badgeHeight, qreal(p.fontMetrics().horizontalAdvance(text)) + size * 0.16);
        const QRectF badge(size - badgeWidth, 0, badgeWidth, badgeHeight);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xd3, 0x2f, 0x2f));
        p.drawRoundedRect(badge, badgeHeight / 2, badgeHeight / 2);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, text);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace Icons
